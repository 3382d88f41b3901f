using Microsoft.Extensions.Options;

namespace Apportionment.Api.Features.Ledger;

/// <summary>
/// When a forecast is at risk or over, as a percentage of the budget (configuration section Budgets:Monitoring):
/// on-track while the forecast variance is at most AtRiskPercent of the budget, over when it is more than OverPercent.
/// </summary>
public sealed class BudgetMonitoringOptions
{
    public const string Section = "Budgets:Monitoring";

    public decimal AtRiskPercent { get; set; }

    public decimal OverPercent { get; set; } = 2m;
}

/// <summary>
/// One service's monitoring for a year as of a month, with the service's name for council-wide reports.
/// </summary>
public sealed record ServiceMonitoring(
    string Service,
    string Name,
    Period Year,
    Month? AsOf,
    BudgetVersion Budget,
    decimal? Target,
    BudgetMonitoring Figures);

/// <summary>The services' monitoring, and each month that kept a service out of it (council reads only).</summary>
public sealed record MonitoringRead(
    IReadOnlyList<ServiceMonitoring> Services,
    IReadOnlyList<UnapportionedDto> Unapportioned);

/// <summary>
/// Reads budgets, targets and the ledger for some services and lets the domain work out their monitoring.
/// </summary>
public sealed class BudgetMonitoringReader(
    [ReadDb] ApportionmentDb db,
    LedgerReader ledger,
    IOptions<BudgetMonitoringOptions> options)
{
    /// <summary>
    /// Services without a budget for the year are left out. Without <paramref name="asOf"/> the figures run to the
    /// latest month of the year with postings in any of the services (none: no months to date yet). Actuals are the
    /// services' apportionments with overheads, exactly as statements count them. For a council
    /// (<paramref name="council"/>), a service whose figures cannot be apportioned (or depend on one that cannot) is
    /// left out and named in <see cref="MonitoringRead.Unapportioned"/>; the others stay.
    /// </summary>
    public async Task<MonitoringRead> ReadAsync(
        IReadOnlyCollection<string> services,
        Period year,
        Month? asOf,
        CancellationToken ct,
        string? council = null)
    {
        var budgets = await BudgetReads.LatestAsync(db, services, year.FinancialYearStart, ct);
        if (budgets.Count == 0)
        {
            return new MonitoringRead([], []);
        }

        var withBudgets = budgets.Keys.ToList();
        var targets = await BudgetReads.TargetsAsync(db, withBudgets, year.FinancialYearStart, ct);
        asOf ??= await LatestPostedAsync(withBudgets, year, ct);
        var monthsToDate = asOf is { } m ? m.FinancialYearPosition + 1 : 0;
        var thresholds = new BudgetThresholds(options.Value.AtRiskPercent, options.Value.OverPercent);
        var (actuals, unapportioned) = council is null
            ? (await ledger.ReadAsync(withBudgets, year, ct), [])
            : await ReadCouncilActualsAsync(council, year, ct);
        var members = await db.ServiceMembers.AsNoTracking().Where(x => withBudgets.Contains(x.ServiceCode))
            .GroupBy(x => x.ServiceCode).ToDictionaryAsync(g => g.Key, g => g.Select(x => x.Council).ToList(), ct);

        var result = new List<ServiceMonitoring>();
        foreach (var service in await ledger.ReadMonthsAsync(withBudgets, year, ct))
        {
            if (actuals.FirstOrDefault(a => a.Service == service.Service) is not { } actual)
            {
                continue;
            }

            var budget = budgets[service.Service];
            var months = BudgetMonths(service.Months, members.GetValueOrDefault(service.Service) ?? []);
            var shares = LedgerReader.OrCannotApportion(
                () => BudgetShares.Apportion(service.Service, year, budget.Profile, months));
            result.Add(new ServiceMonitoring(
                service.Service,
                service.Name,
                year,
                asOf,
                budget,
                targets.GetValueOrDefault(service.Service),
                BudgetMonitor.Monitor(shares, actual.Apportionment, monthsToDate, thresholds)));
        }

        return new MonitoringRead(result, unapportioned);
    }

    private async Task<(IReadOnlyList<ServiceLedger>, IReadOnlyList<UnapportionedDto>)> ReadCouncilActualsAsync(
        string council,
        Period year,
        CancellationToken ct)
    {
        var read = await ledger.ReadCouncilAsync(council, year, ct);
        return (read.Ledgers, read.Unapportioned);
    }

    /// <summary>
    /// A month governed by a support agreement has no split of its own: its budget is shared equally between the
    /// support service's members, who set it together (its actual cost reaches councils through the services it
    /// supports).
    /// </summary>
    private static List<ServiceMonthInput> BudgetMonths(
        IReadOnlyList<ServiceMonthInput> months,
        List<string> members) =>
        months.Select(m => m.Support is { } support && members.Count > 0
            ? new ServiceMonthInput(
                m.Month,
                m.NetCost,
                new AgreementInForce(support.AgreementId, SplitRule.Equal(members)),
                null)
            : m).ToList();

    private async Task<Month?> LatestPostedAsync(
        IReadOnlyCollection<string> services,
        Period year,
        CancellationToken ct)
    {
        var (first, last) = (year.First.FirstDay, year.Last.FirstDay);
        var latest = await db.CostTotals.AsNoTracking()
            .Where(t => services.Contains(t.ServiceCode) && t.Month >= first && t.Month <= last && t.Postings > 0)
            .MaxAsync(t => (DateOnly?)t.Month, ct);
        return latest is { } day ? Month.FromDate(day) : null;
    }

    /// <summary>asOf must be a month of the year being monitored.</summary>
    public static Month? AsOf(string? asOf, Period year)
    {
        if (asOf is null)
        {
            return null;
        }

        var month = Month.Parse(asOf);
        return year.Contains(month)
            ? month
            : throw RequestValidationException.For("asOf", $"Must be a month of {year} ({year.First} to {year.Last}).");
    }

    public static string StatusText(BudgetStatus status) => status switch
    {
        BudgetStatus.Over => "over",
        BudgetStatus.AtRisk => "at-risk",
        _ => "on-track",
    };
}
