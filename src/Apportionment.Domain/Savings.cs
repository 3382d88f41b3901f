namespace Apportionment.Domain;

/// <summary>Compares each council's share of the joint service with its stand-alone baseline.</summary>
public static class Savings
{
    /// <summary>
    /// Saving = baseline for the period − share, per council and in total. Councils appearing in either
    /// dictionary are reported in ordinal order: a missing share counts as 0; a missing baseline leaves baseline and
    /// saving null and the council out of the totals.
    /// </summary>
    public static SavingsReport For(
        Period period,
        IReadOnlyDictionary<string, decimal> annualBaselines,
        IReadOnlyDictionary<string, decimal> shares)
    {
        ArgumentNullException.ThrowIfNull(period);
        return ForMonths(period, [.. period.Months], annualBaselines, shares);
    }

    /// <summary>
    /// Savings over the months of the apportionment that count (<see cref="PartYear.MonthsCounted"/>): both the
    /// baseline and each council's share cover only months that have ended before <paramref name="current"/> and hold
    /// costs, and the report lists them. A year with nothing posted has no month counted and shows no saving.
    /// </summary>
    public static SavingsReport For(
        ServiceApportionment apportionment, IReadOnlyDictionary<string, decimal> annualBaselines, Month current,
        IReadOnlySet<Month>? postedTo = null)
    {
        ArgumentNullException.ThrowIfNull(apportionment);
        var counted = PartYear.MonthsCounted(apportionment, current, postedTo);
        return ForMonths(apportionment.Period, counted, annualBaselines, PartYear.SharesOf(apportionment, counted));
    }

    private static SavingsReport ForMonths(
        Period period, IReadOnlyList<Month> months, IReadOnlyDictionary<string, decimal> annualBaselines,
        IReadOnlyDictionary<string, decimal> shares)
    {
        ArgumentNullException.ThrowIfNull(annualBaselines);
        ArgumentNullException.ThrowIfNull(shares);

        var councils = annualBaselines.Keys.Union(shares.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var rows = new List<CouncilSaving>();
        foreach (var council in councils)
        {
            decimal? baseline = annualBaselines.TryGetValue(council, out var annual)
                ? Baseline.ForMonths(annual, months)
                : null;
            rows.Add(CouncilSaving.Of(council, baseline, Money.Normalise(shares.GetValueOrDefault(council))));
        }

        var compared = rows.Where(r => r.Baseline is not null).ToList();
        return new SavingsReport(
            period,
            rows.AsReadOnly(),
            compared.Sum(r => r.Baseline!.Value),
            compared.Sum(r => r.Share),
            compared.Sum(r => r.Saving!.Value),
            rows.Count - compared.Count)
        { MonthsCounted = months };
    }

    /// <summary>Convenience overload taking the shares straight from an apportionment.</summary>
    public static SavingsReport For(
        ServiceApportionment apportionment,
        IReadOnlyDictionary<string, decimal> annualBaselines)
    {
        ArgumentNullException.ThrowIfNull(apportionment);
        var shares = apportionment.Allocations.ToDictionary(a => a.Council, a => a.Amount, StringComparer.Ordinal);
        return For(apportionment.Period, annualBaselines, shares);
    }
}
