namespace Apportionment.Domain;

/// <summary>
/// Each council's share of a budget: every month's profiled amount is split by the agreement in force that month,
/// exactly as that month's actual cost would be, so shares add up to the budget to the penny and a ratio change
/// part-way through the year is honoured.
/// </summary>
public static class BudgetShares
{
    /// <summary>
    /// <paramref name="months"/> give each month's agreement and, for a driver split, its activity figures (their net
    /// cost is ignored: the profile is what is split). A budget is set before the year's activity is known, so a driver
    /// month without usable figures (missing, or totalling zero) is split by the latest earlier month of the year that
    /// has them, and by equal shares when no month has them yet. A month with a budget but no agreement cannot be
    /// split and throws <see cref="ApportionmentException"/>.
    /// </summary>
    public static ServiceApportionment Apportion(
        string service,
        Period year,
        IReadOnlyList<decimal> profile,
        IEnumerable<ServiceMonthInput> months)
    {
        ArgumentNullException.ThrowIfNull(year);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(months);
        if (year.Kind != PeriodKind.FinancialYear || profile.Count != BudgetProfile.Months)
        {
            throw new ArgumentException(
                "A budget profile covers the twelve months of a financial year.",
                nameof(profile));
        }

        var latest = new Dictionary<string, IReadOnlyDictionary<string, decimal>>(StringComparer.Ordinal);
        var inputs = new List<ServiceMonthInput>();
        foreach (var month in months.OrderBy(m => m.Month))
        {
            var amount = profile[month.Month.FinancialYearPosition];
            var activity = month.Agreement?.Rule is { Method: SplitMethod.Driver } rule
                ? FiguresFor(rule, month.Activity, latest)
                : null;
            inputs.Add(new ServiceMonthInput(month.Month, amount, month.Agreement, activity));
        }

        return Apportioner.Apportion(service, year, inputs);
    }

    private static IReadOnlyDictionary<string, decimal> FiguresFor(
        SplitRule rule, IReadOnlyDictionary<string, decimal>? figures,
        Dictionary<string, IReadOnlyDictionary<string, decimal>> latest)
    {
        var driver = rule.Driver!;
        if (Usable(rule, figures))
        {
            latest[driver] = figures!;
            return figures!;
        }

        return latest.TryGetValue(driver, out var earlier) && Usable(rule, earlier)
            ? earlier
            : rule.Councils.ToDictionary(c => c, _ => 1m, StringComparer.Ordinal);
    }

    private static bool Usable(SplitRule rule, IReadOnlyDictionary<string, decimal>? figures)
    {
        if (figures is null)
        {
            return false;
        }

        var total = 0m;
        foreach (var council in rule.Councils)
        {
            if (!figures.TryGetValue(council, out var quantity) || quantity < 0m)
            {
                return false;
            }

            total += quantity;
        }

        return total > 0m;
    }
}
