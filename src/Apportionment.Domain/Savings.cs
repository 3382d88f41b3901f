namespace Apportionment.Domain;

/// <summary>Compares each council's share of the joint service with its stand-alone baseline.</summary>
public static class Savings
{
    /// <summary>
    /// Saving = baseline for the period − share, per council and in total. Councils appearing in either
    /// dictionary are reported (missing figures count as 0), in ordinal order.
    /// </summary>
    public static SavingsReport For(Period period, IReadOnlyDictionary<string, decimal> annualBaselines, IReadOnlyDictionary<string, decimal> shares)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(annualBaselines);
        ArgumentNullException.ThrowIfNull(shares);

        var councils = annualBaselines.Keys.Union(shares.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var rows = new List<CouncilSaving>();
        foreach (var council in councils)
        {
            var baseline = Baseline.ForPeriod(annualBaselines.GetValueOrDefault(council), period);
            var share = Money.Normalise(shares.GetValueOrDefault(council));
            rows.Add(new CouncilSaving(council, baseline, share, baseline - share));
        }

        return new SavingsReport(
            period,
            rows.AsReadOnly(),
            rows.Sum(r => r.Baseline),
            rows.Sum(r => r.Share),
            rows.Sum(r => r.Saving));
    }

    /// <summary>Convenience overload taking the shares straight from an apportionment.</summary>
    public static SavingsReport For(ServiceApportionment apportionment, IReadOnlyDictionary<string, decimal> annualBaselines)
    {
        ArgumentNullException.ThrowIfNull(apportionment);
        var shares = apportionment.Allocations.ToDictionary(a => a.Council, a => a.Amount, StringComparer.Ordinal);
        return For(apportionment.Period, annualBaselines, shares);
    }
}
