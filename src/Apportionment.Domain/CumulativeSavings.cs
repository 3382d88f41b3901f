namespace Apportionment.Domain;

/// <summary>What a partnership has saved each council since it started, through the end of a financial year.</summary>
public sealed record CumulativeSavings(
    Month From,
    Month To,
    IReadOnlyList<CouncilSaving> Councils,
    decimal Baseline,
    decimal Share,
    decimal Saving,
    int CouncilsWithoutBaseline)
{
    /// <summary>The months baseline and share were taken over, in order.</summary>
    public IReadOnlyList<Month> MonthsCounted { get; init; } = [];

    /// <summary>
    /// Sums each financial year's apportioned shares, and counts baselines only for the months the partnership ran
    /// (from <paramref name="start"/>, up to <paramref name="end"/> if it has ended), so a partnership that began in
    /// October is not credited with savings for April to September. As in <see cref="Savings"/>, a council without a
    /// baseline has null baseline and saving and is left out of the totals.
    /// </summary>
    public static CumulativeSavings Since(
        Month start,
        Month? end,
        IReadOnlyList<ServiceApportionment> years,
        IReadOnlyDictionary<string, decimal> annualBaselines) =>
        Since(start, end, years, annualBaselines, null);

    /// <summary>
    /// As above, but like with like: with <paramref name="current"/>, only months that have ended before it and hold
    /// costs count, for the baseline and the shares alike (<see cref="PartYear"/>), and they are listed.
    /// </summary>
    public static CumulativeSavings Since(
        Month start, Month? end, IReadOnlyList<ServiceApportionment> years,
        IReadOnlyDictionary<string, decimal> annualBaselines, Month? current,
        IReadOnlySet<Month>? postedTo = null)
    {
        ArgumentNullException.ThrowIfNull(years);
        ArgumentNullException.ThrowIfNull(annualBaselines);
        if (years.Count == 0)
        {
            throw new ArgumentException("Give at least one financial year.", nameof(years));
        }

        var last = years.Max(y => y.Period.Last);
        var to = end is { } e && e < last ? e : last;
        var months = years.SelectMany(
            y => current is { } now ? PartYear.MonthsCounted(y, now, postedTo) : y.Period.Months)
            .Where(m => m >= start && m <= to).ToList();
        var councils = annualBaselines.Keys.Union(
            years.SelectMany(y => y.Allocations.Select(a => a.Council)),
            StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var rows = councils.Select(council =>
        {
            decimal? baseline = annualBaselines.TryGetValue(council, out var annual)
                ? Domain.Baseline.ForMonths(annual, months)
                : null;
            var share = current is null
                ? years.Sum(y => y.ShareOf(council))
                : years.Sum(y => PartYear.SharesOf(y, months).GetValueOrDefault(council));
            return CouncilSaving.Of(council, baseline, share);
        }).ToList();
        var compared = rows.Where(r => r.Baseline is not null).ToList();
        return new CumulativeSavings(
            start,
            to,
            rows,
            compared.Sum(r => r.Baseline!.Value),
            compared.Sum(r => r.Share),
            compared.Sum(r => r.Saving!.Value),
            rows.Count - compared.Count)
        { MonthsCounted = months };
    }
}
