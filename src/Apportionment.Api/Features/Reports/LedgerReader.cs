using Apportionment.Api.Features.Agreements;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Domain;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Features.Reports;

/// <summary>One service's figures for a period: its apportionment, the path of its overheads and what each council paid directly.</summary>
public sealed record ServiceLedger(
    string Service, string Name, string HostCouncil, DateOnly StartMonth, DateOnly? EndMonth, ServiceOverheads Overheads, IReadOnlyDictionary<string, decimal> Paid)
{
    public ServiceApportionment Apportionment => Overheads.Apportionment;

    public decimal PaidBy(string council) => Paid.GetValueOrDefault(council);
}

/// <summary>The services asked for, and every overhead flow of the period that touches the support services feeding them.</summary>
public sealed record Ledgers(IReadOnlyList<ServiceLedger> Services, IReadOnlyList<SupportMonthAllocation> Flows);

/// <summary>
/// Loads what the domain needs to apportion services over a period — monthly totals per payer (never the postings),
/// the agreed agreements and the latest activity returns — in a few queries however many services, then lets the
/// domain do the arithmetic. Support services that feed the services asked for (directly or through other support
/// services) are loaded too, since their costs become part of those services' totals.
/// </summary>
public sealed class LedgerReader(ApportionmentDb db)
{
    public async Task<IReadOnlyList<ServiceLedger>> ReadAsync(IReadOnlyCollection<string> services, Period period, CancellationToken ct) =>
        (await ReadWithFlowsAsync(services, period, ct)).Services;

    public async Task<Ledgers> ReadWithFlowsAsync(IReadOnlyCollection<string> wanted, Period period, CancellationToken ct)
    {
        var (first, last) = (period.First.FirstDay, period.Last.FirstDay);
        var services = await WithSupportServicesAsync(wanted, last, ct);
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
        var splits = agreements.Where(a => !a.IsSupport).ToDictionary(a => a.Id, a => new AgreementInForce(a.Id, ToRule(a)));
        var supports = agreements.Where(a => a.IsSupport).ToDictionary(a => a.Id, a => new SupportAgreementInForce(a.Id, ToSupportRule(a)));
        var inputs = new Dictionary<string, IReadOnlyList<ServiceMonthInput>>(StringComparer.Ordinal);
        foreach (var service in names)
        {
            var serviceTotals = totals.Where(t => t.ServiceCode == service.Code).ToList();
            var history = agreements.Where(a => a.ServiceCode == service.Code)
                .OrderBy(a => a.EffectiveFrom).ThenBy(a => a.AgreedAt).ToList();
            inputs[service.Code] = period.Months.Select(month =>
            {
                var day = month.FirstDay;
                var agreement = history.LastOrDefault(a => a.EffectiveFrom <= day);
                var figures = agreement?.Driver is { } driver
                    ? activity.FirstOrDefault(a => a.ServiceCode == service.Code && a.Driver == driver && a.Month == day)?.Quantities
                    : null;
                var cost = serviceTotals.Where(t => t.Month == day).Sum(t => t.Amount);
                return agreement is { IsSupport: true }
                    ? new ServiceMonthInput(month, cost, null, figures, supports[agreement.Id])
                    : new ServiceMonthInput(month, cost, agreement is null ? null : splits[agreement.Id], figures);
            }).ToList();
        }

        OverheadApportionment result;
        try
        {
            result = OverheadApportioner.Apportion(period, inputs);
        }
        catch (ApportionmentException e)
        {
            var problem = new UnprocessableException(ProblemTypes.CannotApportion, "The costs cannot be apportioned.", e.Message);
            problem.Extensions["service"] = e.Service;
            problem.Extensions["month"] = e.Month.ToString();
            problem.Extensions["councilsWithoutFigures"] = e.CouncilsWithoutFigures;
            problem.Extensions["recipientsWithoutFigures"] = e.CouncilsWithoutFigures;
            throw problem;
        }

        var ledgers = names.Where(n => wanted.Contains(n.Code)).OrderBy(n => n.Code, StringComparer.Ordinal).Select(service =>
        {
            var paid = totals.Where(t => t.ServiceCode == service.Code).GroupBy(t => t.PaidBy)
                .ToDictionary(g => g.Key, g => g.Sum(t => t.Amount), StringComparer.Ordinal);
            return new ServiceLedger(service.Code, service.Name, service.HostCouncil, service.StartMonth, service.EndMonth, result.Services[service.Code], paid);
        }).ToList();
        return new Ledgers(ledgers, result.Months);
    }

    /// <summary>
    /// The services asked for plus every support service whose cost can reach them, following support agreements
    /// upstream. A small indexed read of agreements; without support agreements it adds nothing.
    /// </summary>
    private async Task<List<string>> WithSupportServicesAsync(IReadOnlyCollection<string> wanted, DateOnly last, CancellationToken ct)
    {
        var links = await db.SplitAgreements.AsNoTracking()
            .Where(a => a.Status == AgreementStatus.Agreed && a.EffectiveFrom <= last && a.Supports.Length > 0)
            .Select(a => new { a.ServiceCode, a.Supports }).ToListAsync(ct);
        var all = new HashSet<string>(wanted, StringComparer.Ordinal);
        for (var grew = links.Count > 0; grew;)
        {
            grew = false;
            foreach (var link in links.Where(l => !all.Contains(l.ServiceCode) && l.Supports.Any(all.Contains)))
            {
                grew |= all.Add(link.ServiceCode);
            }
        }

        return [.. all];
    }

    private static SplitRule ToRule(SplitAgreement a) => a.Method switch
    {
        "fixed" => SplitRule.Fixed(a.Shares.Select(s => new CouncilShare(s.Council, s.Percent))),
        "equal" => SplitRule.Equal(a.Councils),
        _ => SplitRule.ByDriver(a.Driver!, a.Councils),
    };

    private static SupportRule ToSupportRule(SplitAgreement a)
    {
        var method = Enum.Parse<SplitMethod>(a.Method, ignoreCase: true);
        return SupportRule.Create(a.ServiceCode, method,
            method == SplitMethod.Fixed ? a.Shares.Select(s => new CouncilShare(s.Council, s.Percent)).ToList() : null,
            method == SplitMethod.Fixed ? null : a.Councils,
            a.Supports.Select(s => new SupportedShare(s, a.SupportPercents?.GetValueOrDefault(s))).ToList(),
            a.Driver);
    }
}
