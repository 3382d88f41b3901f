namespace Apportionment.Domain.Billing;

/// <summary>Which rule set a council's year-end share.</summary>
public enum YearEndRule
{
    /// <summary>No estimate tolerance applies: the council bears its actual share of the year's cost.</summary>
    Actual,

    /// <summary>
    /// The actual share is within the tolerance of the estimate: the council keeps its estimated split.
    /// </summary>
    EstimateWithinTolerance,

    /// <summary>
    /// The actual share differs from the estimate by more than the tolerance: the council moves to actual.
    /// </summary>
    ActualOutsideTolerance,
}

/// <summary>
/// What a council owes at the year end, and how: on account + final charge + paid directly = year-end share.
/// </summary>
public sealed record YearEndCharge(
    string Council,
    decimal ActualShare,
    decimal ActualPercent,
    decimal? EstimatePercent,
    YearEndRule Rule,
    decimal YearEndShare,
    decimal PaidDirectly,
    decimal OnAccount,
    decimal FinalCharge,
    decimal FinalVat);

/// <summary>The figures the year-end reconciliation starts from.</summary>
public sealed record YearEndInput(
    IReadOnlyList<CouncilAmount> ActualShares,
    IReadOnlyDictionary<string, decimal> OnAccount,
    IReadOnlyDictionary<string, decimal> PaidDirectly,
    IReadOnlyList<CouncilShare>? Estimate,
    decimal? TolerancePercent);

/// <summary>
/// The year-end accounting reconciliation: each council's year-end share less what it was invoiced on account (net) and
/// what it paid directly is its final charge (positive: a further charge; negative: a refund).
/// </summary>
/// <remarks>
/// With an estimated split and a tolerance (South Hams and West Devon use 3%), a council moves to its actual share only
/// when its actual percentage of the year's cost differs from its estimated percentage by more than the tolerance, in
/// percentage points. The councils that move bear their actual shares; the rest of the year's cost is split between
/// those that stay in proportion to their estimated percentages (largest remainder), so the year-end shares still add
/// up to the year's cost to the penny.
/// </remarks>
public static class YearEnd
{
    public static IReadOnlyList<YearEndCharge> TrueUp(YearEndInput input, VatTreatment vat)
    {
        ArgumentNullException.ThrowIfNull(input);
        var actual = input.ActualShares.ToDictionary(a => a.Council, a => a.Amount, StringComparer.Ordinal);
        var estimate = input.Estimate?.ToDictionary(e => e.Council, e => e.Percent, StringComparer.Ordinal);
        var councils = actual.Keys.Concat(input.OnAccount.Keys).Concat(input.PaidDirectly.Keys)
            .Concat(estimate?.Keys ?? Enumerable.Empty<string>())
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        var total = actual.Values.Sum();
        var percents = councils.ToDictionary(
            c => c,
            c => total == 0m ? 0m : actual.GetValueOrDefault(c) / total * 100m,
            StringComparer.Ordinal);
        var (shares, rules) = estimate is not null && input.TolerancePercent is { } tolerance && total != 0m
            ? WithTolerance(councils, actual, estimate, percents, total, tolerance)
            : AllActual(councils, actual);

        return councils.Select(c =>
        {
            var onAccount = input.OnAccount.GetValueOrDefault(c);
            var paid = input.PaidDirectly.GetValueOrDefault(c);
            var final = Money.Normalise(shares[c] - paid - onAccount);
            return new YearEndCharge(
                c,
                Money.Normalise(actual.GetValueOrDefault(c)),
                Math.Round(percents[c], 4, MidpointRounding.AwayFromZero),
                estimate?.GetValueOrDefault(c),
                rules[c],
                Money.Normalise(shares[c]),
                Money.Normalise(paid),
                Money
                    .Normalise(onAccount),
                final,
                Vat.On(final, vat));
        }).ToList();
    }

    private static (Dictionary<string, decimal> Shares, Dictionary<string, YearEndRule> Rules) AllActual(
        List<string> councils, Dictionary<string, decimal> actual) =>
        (councils.ToDictionary(c => c, actual.GetValueOrDefault, StringComparer.Ordinal),
            councils.ToDictionary(c => c, _ => YearEndRule.Actual, StringComparer.Ordinal));

    private static (Dictionary<string, decimal> Shares, Dictionary<string, YearEndRule> Rules) WithTolerance(
        List<string> councils, Dictionary<string, decimal> actual, Dictionary<string, decimal> estimate,
        Dictionary<string, decimal> percents, decimal total, decimal tolerance)
    {
        var moves = councils.Where(c => Math.Abs(percents[c] - estimate.GetValueOrDefault(c)) > tolerance)
            .ToHashSet(StringComparer.Ordinal);
        var staying = councils.Where(c => !moves.Contains(c)).ToList();
        if (staying.Sum(c => estimate.GetValueOrDefault(c)) == 0m)
        {
            // Nobody left with an estimate to carry the rest: everyone bears its actual share.
            moves.UnionWith(staying);
            staying.Clear();
        }

        var shares = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var rules = new Dictionary<string, YearEndRule>(StringComparer.Ordinal);
        foreach (var c in moves)
        {
            shares[c] = actual.GetValueOrDefault(c);
            rules[c] = YearEndRule.ActualOutsideTolerance;
        }

        if (staying.Count > 0)
        {
            var rest = total - moves.Sum(c => actual.GetValueOrDefault(c));
            foreach (var part in LargestRemainder.Allocate(
                rest,
                staying.Select(c => (c, estimate.GetValueOrDefault(c))).ToList()))
            {
                shares[part.Council] = part.Amount;
                rules[part.Council] = YearEndRule.EstimateWithinTolerance;
            }
        }

        return (shares, rules);
    }
}
