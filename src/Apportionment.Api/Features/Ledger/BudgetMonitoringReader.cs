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

/// <summary>One service's monitoring for a year as of a month, with the service's name for council-wide reports.</summary>
public sealed record ServiceMonitoring(string Service, string Name, Period Year, Month? AsOf, BudgetVersion Budget, decimal? Target, BudgetMonitoring Figures);

/// <summary>Reads budgets, targets and the ledger for some services and lets the domain work out their monitoring.</summary>
public sealed class BudgetMonitoringReader(ApportionmentDb db, LedgerReader ledger, IOptions<BudgetMonitoringOptions> options)
{
    /// <summary>
    /// Services without a budget for the year are left out. Without <paramref name="asOf"/> the figures run to the
    /// latest month of the year with postings in any of the services (none: no months to date yet).
    /// </summary>
    public async Task<IReadOnlyList<ServiceMonitoring>> ReadAsync(IReadOnlyCollection<string> services, Period year, Month? asOf, CancellationToken ct)
    {
        var budgets = await BudgetReads.LatestAsync(db, services, year.FinancialYearStart, ct);
        if (budgets.Count == 0)
        {
            return [];
        }

        var withBudgets = budgets.Keys.ToList();
        var targets = await BudgetReads.TargetsAsync(db, withBudgets, year.FinancialYearStart, ct);
        asOf ??= await LatestPostedAsync(withBudgets, year, ct);
        var monthsToDate = asOf is { } m ? m.FinancialYearPosition + 1 : 0;
        var thresholds = new BudgetThresholds(options.Value.AtRiskPercent, options.Value.OverPercent);

        var result = new List<ServiceMonitoring>();
        foreach (var service in await ledger.ReadMonthsAsync(withBudgets, year, ct))
        {
            var budget = budgets[service.Service];
            var toDate = service.Months.Where(x => x.Month.FinancialYearPosition < monthsToDate).ToList();
            var actual = LedgerReader.Apportion(service.Service, year, toDate);
            var shares = LedgerReader.OrCannotApportion(() => BudgetShares.Apportion(service.Service, year, budget.Profile, service.Months));
            result.Add(new ServiceMonitoring(service.Service, service.Name, year, asOf, budget, targets.GetValueOrDefault(service.Service),
                BudgetMonitor.Monitor(shares, actual, monthsToDate, thresholds)));
        }

        return result;
    }

    private async Task<Month?> LatestPostedAsync(IReadOnlyCollection<string> services, Period year, CancellationToken ct)
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
        return year.Contains(month) ? month : throw RequestValidationException.For("asOf", $"Must be a month of {year} ({year.First} to {year.Last}).");
    }

    public static string StatusText(BudgetStatus status) => status switch
    {
        BudgetStatus.Over => "over",
        BudgetStatus.AtRisk => "at-risk",
        _ => "on-track",
    };
}
