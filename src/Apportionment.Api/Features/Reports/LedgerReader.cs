using Apportionment.Api.Features.Agreements;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Domain;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Features.Reports;

/// <summary>One service's figures for a period: its apportionment and what each council paid directly.</summary>
public sealed record ServiceLedger(
    string Service, string Name, string HostCouncil, DateOnly StartMonth, DateOnly? EndMonth, ServiceApportionment Apportionment, IReadOnlyDictionary<string, decimal> Paid)
{
    public decimal PaidBy(string council) => Paid.GetValueOrDefault(council);
}

/// <summary>One service's months as the domain takes them (cost, agreement in force, activity) before they are apportioned.</summary>
public sealed record ServiceMonths(
    string Service, string Name, string HostCouncil, DateOnly StartMonth, DateOnly? EndMonth, IReadOnlyList<ServiceMonthInput> Months, IReadOnlyDictionary<string, decimal> Paid);

/// <summary>
/// Loads what the domain needs to apportion services over a period — monthly totals per payer (never the postings),
/// the agreed agreements and the latest activity returns — in three queries however many services, then lets the
/// domain do the arithmetic.
/// </summary>
public sealed class LedgerReader(ApportionmentDb db)
{
    /// <summary>
    /// The services' apportionments. With <paramref name="proposal"/>, as if that proposed agreement had been agreed
    /// now: it governs from its effectiveFrom until a later-effective agreed agreement, so a council can see what it would pay.
    /// </summary>
    public async Task<IReadOnlyList<ServiceLedger>> ReadAsync(IReadOnlyCollection<string> services, Period period, CancellationToken ct, SplitAgreement? proposal = null) =>
        (await ReadMonthsAsync(services, period, ct, proposal))
            .Select(s => new ServiceLedger(s.Service, s.Name, s.HostCouncil, s.StartMonth, s.EndMonth, Apportion(s.Service, period, s.Months), s.Paid))
            .ToList();

    public async Task<IReadOnlyList<ServiceMonths>> ReadMonthsAsync(IReadOnlyCollection<string> services, Period period, CancellationToken ct, SplitAgreement? proposal = null)
    {
        var (first, last) = (period.First.FirstDay, period.Last.FirstDay);
        var names = await db.SharedServices.AsNoTracking().Where(s => services.Contains(s.Code))
            .Select(s => new { s.Code, s.Name, s.HostCouncil, s.StartMonth, s.EndMonth }).ToListAsync(ct);
        var totals = await db.CostTotals.AsNoTracking()
            .Where(t => services.Contains(t.ServiceCode) && t.Month >= first && t.Month <= last)
            .Select(t => new { t.ServiceCode, t.Month, t.PaidBy, t.Amount }).ToListAsync(ct);
        var agreements = await db.SplitAgreements.AsNoTracking().Include(a => a.Shares)
            .Where(a => services.Contains(a.ServiceCode) && a.Status == AgreementStatus.Agreed && a.EffectiveFrom <= last)
            .ToListAsync(ct);
        if (proposal is not null && proposal.EffectiveFrom <= last)
        {
            agreements.Add(proposal);
        }

        var drivers = agreements.Where(a => a.Driver != null).Select(a => a.Driver!).Distinct().ToList();
        var activity = drivers.Count == 0 ? [] : await db.ActivityReturns.AsNoTracking()
            .Where(a => services.Contains(a.ServiceCode) && drivers.Contains(a.Driver) && a.Month >= first && a.Month <= last)
            .GroupBy(a => new { a.ServiceCode, a.Driver, a.Month })
            .Select(g => g.OrderByDescending(a => a.Id).First())
            .ToListAsync(ct);

        // One validated rule per agreement, however many months it governs.
        var inForce = agreements.ToDictionary(a => a.Id, a => new AgreementInForce(a.Id, ToRule(a)));
        var result = new List<ServiceMonths>();
        foreach (var service in names.OrderBy(n => n.Code, StringComparer.Ordinal))
        {
            var serviceTotals = totals.Where(t => t.ServiceCode == service.Code).ToList();
            // A proposal counts as agreed after every agreement already agreed from the same month.
            var history = agreements.Where(a => a.ServiceCode == service.Code)
                .OrderBy(a => a.EffectiveFrom).ThenBy(a => a == proposal).ThenBy(a => a.AgreedAt).ToList();
            var months = period.Months.Select(month =>
            {
                var day = month.FirstDay;
                var agreement = history.LastOrDefault(a => a.EffectiveFrom <= day);
                var terms = agreement is null ? null : inForce[agreement.Id];
                var figures = terms?.Rule.Driver is { } driver
                    ? activity.FirstOrDefault(a => a.ServiceCode == service.Code && a.Driver == driver && a.Month == day)?.Quantities
                    : null;
                return new ServiceMonthInput(month, serviceTotals.Where(t => t.Month == day).Sum(t => t.Amount), terms, figures);
            }).ToList();

            var paid = serviceTotals.GroupBy(t => t.PaidBy).ToDictionary(g => g.Key, g => g.Sum(t => t.Amount), StringComparer.Ordinal);
            result.Add(new ServiceMonths(service.Code, service.Name, service.HostCouncil, service.StartMonth, service.EndMonth, months, paid));
        }

        return result;
    }

    /// <summary>Apportions the months, answering 422 cannot-apportion (naming the service and month) when the domain cannot.</summary>
    public static ServiceApportionment OrCannotApportion(Func<ServiceApportionment> apportion)
    {
        try
        {
            return apportion();
        }
        catch (ApportionmentException e)
        {
            var problem = new UnprocessableException(ProblemTypes.CannotApportion, "The costs cannot be apportioned.", e.Message);
            problem.Extensions["service"] = e.Service;
            problem.Extensions["month"] = e.Month.ToString();
            problem.Extensions["councilsWithoutFigures"] = e.CouncilsWithoutFigures;
            throw problem;
        }
    }

    public static ServiceApportionment Apportion(string service, Period period, IReadOnlyList<ServiceMonthInput> months) =>
        OrCannotApportion(() => Apportioner.Apportion(service, period, months));

    private static SplitRule ToRule(SplitAgreement a) => a.Method switch
    {
        "fixed" => SplitRule.Fixed(a.Shares.Select(s => new CouncilShare(s.Council, s.Percent))),
        "equal" => SplitRule.Equal(a.Councils),
        _ => SplitRule.ByDriver(a.Driver!, a.Councils),
    };
}
