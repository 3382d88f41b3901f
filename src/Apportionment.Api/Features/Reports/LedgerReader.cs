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

/// <summary>The services that could be apportioned, and each month that stopped one of the others.</summary>
public sealed record LedgerRead(IReadOnlyList<ServiceLedger> Ledgers, IReadOnlyList<UnapportionedDto> Unapportioned);

/// <summary>
/// Loads what the domain needs to apportion services over a period — monthly totals per payer (never the postings),
/// the agreed agreements and the latest activity returns — in three queries however many services, then lets the
/// domain do the arithmetic.
/// </summary>
public sealed class LedgerReader(ApportionmentDb db)
{
    /// <summary>Every service apportioned, or 422 naming the first month that cannot be (for reads of one service).</summary>
    public async Task<IReadOnlyList<ServiceLedger>> ReadAsync(IReadOnlyCollection<string> services, Period period, CancellationToken ct)
    {
        var (ledgers, gaps) = await ReadServicesAsync(services, period, ct);
        if (gaps.Count > 0)
        {
            var e = gaps[0];
            var problem = new UnprocessableException(ProblemTypes.CannotApportion, "The costs cannot be apportioned.", e.Message);
            problem.Extensions["service"] = e.Service;
            problem.Extensions["month"] = e.Month.ToString();
            problem.Extensions["councilsWithoutFigures"] = e.CouncilsWithoutFigures;
            throw problem;
        }

        return ledgers;
    }

    /// <summary>
    /// For a council's reads across its services: one service that cannot be apportioned leaves it out and lists
    /// each of its months that cannot be, rather than blocking the others.
    /// </summary>
    public async Task<LedgerRead> ReadApportionableAsync(IReadOnlyCollection<string> services, Period period, CancellationToken ct)
    {
        var (ledgers, gaps) = await ReadServicesAsync(services, period, ct);
        return new LedgerRead(ledgers, gaps.Select(g => new UnapportionedDto(g.Service, g.Month.ToString(), g.CouncilsWithoutFigures)).ToList());
    }

    private async Task<(List<ServiceLedger> Ledgers, List<ApportionmentException> Gaps)> ReadServicesAsync(
        IReadOnlyCollection<string> services, Period period, CancellationToken ct)
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
        var drivers = agreements.Where(a => a.Driver != null).Select(a => a.Driver!).Distinct().ToList();
        var activity = drivers.Count == 0 ? [] : await db.ActivityReturns.AsNoTracking()
            .Where(a => services.Contains(a.ServiceCode) && drivers.Contains(a.Driver) && a.Month >= first && a.Month <= last)
            .GroupBy(a => new { a.ServiceCode, a.Driver, a.Month })
            .Select(g => g.OrderByDescending(a => a.Id).First())
            .ToListAsync(ct);

        // One validated rule per agreement, however many months it governs.
        var inForce = agreements.ToDictionary(a => a.Id, a => new AgreementInForce(a.Id, ToRule(a)));
        var ledgers = new List<ServiceLedger>();
        var gaps = new List<ApportionmentException>();
        foreach (var service in names.OrderBy(n => n.Code, StringComparer.Ordinal))
        {
            var serviceTotals = totals.Where(t => t.ServiceCode == service.Code).ToList();
            var history = agreements.Where(a => a.ServiceCode == service.Code)
                .OrderBy(a => a.EffectiveFrom).ThenBy(a => a.AgreedAt).ToList();
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

            ServiceApportionment apportionment;
            try
            {
                apportionment = Apportioner.Apportion(service.Code, period, months);
            }
            catch (ApportionmentException)
            {
                gaps.AddRange(MonthsThatCannotBeApportioned(service.Code, months));
                continue;
            }

            var paid = serviceTotals.GroupBy(t => t.PaidBy).ToDictionary(g => g.Key, g => g.Sum(t => t.Amount), StringComparer.Ordinal);
            ledgers.Add(new ServiceLedger(service.Code, service.Name, service.HostCouncil, service.StartMonth, service.EndMonth, apportionment, paid));
        }

        return (ledgers, gaps);
    }

    private static IEnumerable<ApportionmentException> MonthsThatCannotBeApportioned(string service, IEnumerable<ServiceMonthInput> months)
    {
        foreach (var month in months)
        {
            ApportionmentException? gap = null;
            try
            {
                Apportioner.Apportion(service, Period.ForMonth(month.Month), [month]);
            }
            catch (ApportionmentException e)
            {
                gap = e;
            }

            if (gap is not null)
            {
                yield return gap;
            }
        }
    }

    private static SplitRule ToRule(SplitAgreement a) => a.Method switch
    {
        "fixed" => SplitRule.Fixed(a.Shares.Select(s => new CouncilShare(s.Council, s.Percent))),
        "equal" => SplitRule.Equal(a.Councils),
        _ => SplitRule.ByDriver(a.Driver!, a.Councils),
    };
}
