namespace Apportionment.Domain;

/// <summary>
/// A council's stand-alone cost of a service (what it would spend alone), spread evenly over the financial
/// year so savings can be reported for any month, quarter or year.
/// </summary>
public static class Baseline
{
    // Month codes "01" (April) … "12" (March) sort ordinally in month order, so ties go to the earlier month.
    private static readonly string[] MonthKeys = [.. Enumerable.Range(1, 12)
        .Select(i => i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture))];
    private static readonly decimal[] EqualWeights = [.. Enumerable.Repeat(1m, 12)];

    /// <summary>Twelve monthly amounts, April to March, summing exactly to the annual figure.</summary>
    public static IReadOnlyList<decimal> MonthlySpread(decimal annualCost)
    {
        if (!Money.HasAtMostTwoPlaces(annualCost))
        {
            throw new ArgumentException(
                $"Annual cost {annualCost} has more than two decimal places.",
                nameof(annualCost));
        }

        var months = new decimal[12];
        LargestRemainder.Allocate(annualCost, EqualWeights, MonthKeys, months);
        return Array.AsReadOnly(months);
    }

    /// <summary>The baseline for the period's months; the annual figure applies to every financial year.</summary>
    public static decimal ForPeriod(decimal annualCost, Period period)
    {
        ArgumentNullException.ThrowIfNull(period);
        return ForMonths(annualCost, period.Months);
    }

    /// <summary>
    /// The baseline for any set of months, e.g. a partnership's first year from the month it started.
    /// </summary>
    public static decimal ForMonths(decimal annualCost, IEnumerable<Month> months)
    {
        ArgumentNullException.ThrowIfNull(months);
        var spread = MonthlySpread(annualCost);
        var total = 0.00m;
        foreach (var month in months)
        {
            total += spread[month.FinancialYearPosition];
        }

        return total;
    }
}
