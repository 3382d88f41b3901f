namespace Apportionment.Api.Features.Budgets;

public sealed record BudgetMonthDto(string Month, decimal Amount);

/// <summary>A budget version: the annual net budget, how it was profiled and its twelve months (April first).</summary>
public sealed record BudgetDto(
    string Service, string FinancialYear, decimal Budget, string Profile, IReadOnlyList<BudgetMonthDto> Months,
    decimal? Target, int Version, DateTimeOffset SetAt)
{
    public static BudgetDto From(BudgetVersion b, decimal? target)
    {
        var year = Period.FinancialYear(b.FinancialYear);
        return new BudgetDto(b.ServiceCode, year.ToString(), b.Amount, b.ProfileKind,
            year.Months.Select((m, i) => new BudgetMonthDto(m.ToString(), b.Profile[i])).ToList(), target, b.Version, b
                .SetAt);
    }
}

public sealed record ReductionTargetDto(
    string Service,
    decimal ReductionPercent,
    string BaseYear,
    DateTimeOffset SetAt);

public static class BudgetRules
{
    public const string Flat = "flat";
    public const string Custom = "custom";

    /// <summary>
    /// How many financial years after the current one a budget may be set for (a medium-term financial plan).
    /// </summary>
    public const int MostYearsAhead = 5;

    /// <summary>A financial year as written in reports: "2025-26".</summary>
    public static void FinancialYearText(this ValidationErrors errors, string field, string? value)
    {
        if (!Period.TryParse(value, out var period, out var error) || period!.Kind != PeriodKind.FinancialYear)
        {
            errors.Add(
                field,
                error ?? $"'{value}' is not a financial year; expected e.g. 2025-26 (April 2025 to March 2026).");
        }
    }

    public static Period ToFinancialYear(this string value) => Period.Parse(value);

    /// <summary>
    /// The April-first positions (0–11) of the months the service runs in the year; null when it runs in none.
    /// </summary>
    public static (int First, int Last)? RunningPositions(SharedService service, Period year)
    {
        var start = Month.FromDate(service.StartMonth);
        var end = service.EndMonth is { } e ? Month.FromDate(e) : year.Last;
        var first = start > year.First ? start : year.First;
        var last = end < year.Last ? end : year.Last;
        return first > last ? null : (first.FinancialYearPosition, last.FinancialYearPosition);
    }
}
