using System.Globalization;

namespace Apportionment.Domain;

/// <summary>
/// How a year's budget is expected to be spent month by month (April first), so spending to date can be compared
/// with the budget to date rather than with a twelfth of the year.
/// </summary>
public static class BudgetProfile
{
    public const int Months = 12;

    // Month codes "01" (April) … "12" (March) sort ordinally in month order, so spare pennies go to the earlier months.
    private static readonly string[] MonthKeys = [.. Enumerable.Range(1, Months)
        .Select(i => i.ToString("D2", CultureInfo.InvariantCulture))];

    /// <summary>
    /// The budget spread evenly over the months the service runs in the year (positions <paramref name="first"/> to
    /// <paramref name="last"/>, 0 = April), to the penny by largest remainder; months outside get nothing.
    /// </summary>
    public static IReadOnlyList<decimal> Flat(decimal budget, int first = 0, int last = Months - 1)
    {
        if (!Money.HasAtMostTwoPlaces(budget))
        {
            throw new ArgumentException($"Budget {budget} has more than two decimal places.", nameof(budget));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(last, Months - 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first, last);
        var weights = new decimal[Months];
        weights.AsSpan(first, last - first + 1).Fill(1m);
        var months = new decimal[Months];
        LargestRemainder.Allocate(budget, weights, MonthKeys, months);
        return Array.AsReadOnly(months.Select(Money.Normalise).ToArray());
    }

    /// <summary>
    /// Checks twelve monthly amounts against the budget: exactly twelve, whole pence, nothing in a month the service
    /// does not run, and a total equal to the budget to the penny (never adjusted for the council). Errors are keyed
    /// like "profile" or "profile[3]"; empty when the profile is valid.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> Validate(
        decimal budget, IReadOnlyList<decimal>? months, string field = "profile", int first = 0, int last = Months - 1)
    {
        var errors = new ValidationErrors();
        if (months is null || months.Count != Months)
        {
            errors.Add(
                field,
                $"Give \"flat\" or exactly twelve monthly amounts, April to March; {months?.Count ?? 0} given.");
            return errors.ToDictionary();
        }

        for (var i = 0; i < Months; i++)
        {
            if (!Money.HasAtMostTwoPlaces(months[i]))
            {
                errors.Add($"{field}[{i}]", "Must have at most two decimal places (pence).");
            }
            else if ((i < first || i > last) && months[i] != 0m)
            {
                errors.Add($"{field}[{i}]", "The service does not run in this month, so its budget must be 0.");
            }
        }

        var total = months.Sum();
        if (errors.Count == 0 && total != budget)
        {
            var added = total.ToString("0.00", CultureInfo.InvariantCulture);
            var expected = budget.ToString("0.00", CultureInfo.InvariantCulture);
            errors.Add(
                field,
                $"The twelve monthly amounts add up to {added}, not the budget of {expected}; they must match to the "
                    + "penny.");
        }

        return errors.ToDictionary();
    }
}
