namespace Apportionment.Domain;

/// <summary>One council's share of a period's actual costs now and as if a proposed agreement were agreed.</summary>
public sealed record CouncilImpact(string Council, decimal Current, decimal Proposed, decimal Difference);

/// <summary>
/// What a proposed split would change for each council: both sides share the same net cost, so differences sum to zero.
/// </summary>
public static class ProposalImpact
{
    public static IReadOnlyList<CouncilImpact> Compare(ServiceApportionment current, ServiceApportionment proposed)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(proposed);
        if (current.NetCost != proposed.NetCost)
        {
            throw new ArgumentException("Both apportionments must share the same net cost.", nameof(proposed));
        }

        return current.Allocations.Select(a => a.Council)
            .Union(proposed.Allocations.Select(a => a.Council), StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(c =>
            {
                var (now, then) = (current.ShareOf(c), proposed.ShareOf(c));
                return new CouncilImpact(c, Money.Normalise(now), Money.Normalise(then), Money.Normalise(then - now));
            })
            .ToList();
    }

    /// <summary>
    /// Across several services (a support agreement moves cost from one service into others): each council's shares
    /// summed over them, now and as proposed. The totals agree when the services hold every place the cost can go.
    /// </summary>
    public static IReadOnlyList<CouncilImpact> Compare(
        IReadOnlyCollection<ServiceApportionment> current,
        IReadOnlyCollection<ServiceApportionment> proposed)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(proposed);
        var councils = current.Concat(proposed).SelectMany(a => a.Allocations).Select(a => a.Council)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        return councils.Select(c =>
        {
            var (now, then) = (current.Sum(a => a.ShareOf(c)), proposed.Sum(a => a.ShareOf(c)));
            return new CouncilImpact(c, Money.Normalise(now), Money.Normalise(then), Money.Normalise(then - now));
        }).ToList();
    }
}
