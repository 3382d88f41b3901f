namespace Apportionment.Domain;

/// <summary>Where a service is heading against its budget.</summary>
public enum BudgetStatus
{
    OnTrack,
    AtRisk,
    Over,
}

/// <summary>
/// When a forecast counts as at risk or over: the forecast variance as a percentage of the budget. The defaults (0 and
/// 2) mean any forecast overspend is at risk, and one of more than 2% of the budget is over.
/// </summary>
public sealed record BudgetThresholds(decimal AtRiskPercent = 0m, decimal OverPercent = 2m)
{
    /// <summary>
    /// on-track while the forecast variance is no more than AtRiskPercent of the budget; over when it is more than
    /// OverPercent; at-risk between. The budget's size is used, so a net-income budget (negative) is judged the same
    /// way.
    /// </summary>
    public BudgetStatus StatusOf(decimal budget, decimal forecastVariance)
    {
        var size = Math.Abs(budget);
        return forecastVariance * 100m > OverPercent * size ? BudgetStatus.Over
            : forecastVariance * 100m > AtRiskPercent * size ? BudgetStatus.AtRisk
            : BudgetStatus.OnTrack;
    }
}

/// <summary>The year's figures to date and forecast, in pounds and pence.</summary>
public sealed record BudgetForecast(
    decimal Budget, decimal ProfiledBudgetToDate, decimal ActualToDate, decimal VarianceToDate, decimal ForecastOutturn,
    decimal ForecastVariance);

/// <summary>
/// One council's part: its share of the budget, of the actual cost to date, and of the forecast outturn.
/// </summary>
public sealed record CouncilBudgetShare(
    string Council,
    decimal BudgetShare,
    decimal ActualShare,
    decimal ForecastShare);

public sealed record BudgetMonitoring(
    BudgetForecast Figures,
    BudgetStatus Status,
    IReadOnlyList<CouncilBudgetShare> Councils);

/// <summary>
/// Budget monitoring as a cabinet report shows it: budget, spent to date, forecast outturn and variance.
/// </summary>
public static class BudgetMonitor
{
    /// <summary>
    /// <paramref name="monthsToDate"/> months (April onwards) have actuals. varianceToDate = actual − profiled budget
    /// to date; forecastOutturn = actual to date + the profiled budget of the remaining months; forecastVariance =
    /// forecast − budget. No extrapolation: an overspend to date is assumed not to continue.
    /// </summary>
    public static BudgetForecast Forecast(
        IReadOnlyList<decimal> profile,
        IReadOnlyList<decimal> actuals,
        int monthsToDate)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(actuals);
        ArgumentOutOfRangeException.ThrowIfNegative(monthsToDate);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(monthsToDate, profile.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(actuals.Count, monthsToDate);
        var budget = Money.Normalise(profile.Sum());
        var profiled = Money.Normalise(profile.Take(monthsToDate).Sum());
        var actual = Money.Normalise(actuals.Take(monthsToDate).Sum());
        var forecast = actual + (budget - profiled);
        return new BudgetForecast(budget, profiled, actual, actual - profiled, forecast, forecast - budget);
    }

    /// <summary>
    /// The monitoring for a year from its budget apportionment (<see cref="BudgetShares"/>) and its actual
    /// apportionment: each council's forecast share is its actual share to date plus its budget share of the remaining
    /// months, so the forecast shares add up to the forecast outturn as the budget shares add up to the budget.
    /// </summary>
    public static BudgetMonitoring Monitor(
        ServiceApportionment budget,
        ServiceApportionment actual,
        int monthsToDate,
        BudgetThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(thresholds);
        var year = budget.Period;
        var cutOff = year.First.AddMonths(monthsToDate);
        var profile = year.Months.Select(m => budget.Months.FirstOrDefault(x => x.Month == m)?.NetCost ?? 0m).ToList();
        var actuals = year.Months.Select(m => actual.Months.FirstOrDefault(x => x.Month == m)?.NetCost ?? 0m).ToList();
        var figures = Forecast(profile, actuals, monthsToDate);

        var councils = budget.Allocations.Select(a => a.Council)
            .Union(actual.Allocations.Select(a => a.Council), StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(council =>
            {
                var actualShare = SumOf(actual.Months.Where(m => m.Month < cutOff), council);
                var remaining = SumOf(budget.Months.Where(m => m.Month >= cutOff), council);
                return new CouncilBudgetShare(council, budget.ShareOf(council), actualShare, actualShare + remaining);
            })
            .ToList();
        return new BudgetMonitoring(figures, thresholds.StatusOf(figures.Budget, figures.ForecastVariance), councils);
    }

    private static decimal SumOf(IEnumerable<MonthApportionment> months, string council) =>
        Money.Normalise(months.SelectMany(m => m.Allocations).Where(a => a.Council == council).Sum(a => a.Amount));
}
