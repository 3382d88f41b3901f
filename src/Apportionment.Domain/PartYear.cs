namespace Apportionment.Domain;

/// <summary>
/// Which months a saving is counted for, so baseline and share always cover the same months: a month counts once it
/// has ended (it is before the current month) and holds costs (a cost posted to the service, or overheads received: its
/// net cost is not zero, or it is among the months the caller knows were posted to, as for a support service that
/// passes all its cost on). A year in progress, or one whose later months have nothing posted yet, is then compared
/// like with like: the annual baseline is taken month by month (<see cref="Baseline.MonthlySpread"/>, penny-exact) only
/// for those months.
/// </summary>
public static class PartYear
{
    public static IReadOnlyList<Month> MonthsCounted(
        ServiceApportionment apportionment,
        Month current,
        IReadOnlySet<Month>? postedTo = null)
    {
        ArgumentNullException.ThrowIfNull(apportionment);
        return apportionment.Months
            .Where(m => m.Month < current && (m.NetCost != 0m || postedTo?.Contains(m.Month) == true))
            .Select(m => m.Month)
            .Distinct()
            .Order()
            .ToList();
    }

    /// <summary>
    /// Each council's share of the counted months only (ordinal order); they sum to those months' net cost.
    /// </summary>
    public static IReadOnlyDictionary<string, decimal> SharesOf(
        ServiceApportionment apportionment,
        IReadOnlyCollection<Month> counted)
    {
        ArgumentNullException.ThrowIfNull(apportionment);
        ArgumentNullException.ThrowIfNull(counted);
        var shares = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var allocation in apportionment.Months.Where(m => counted.Contains(m.Month))
            .SelectMany(m => m.Allocations))
        {
            shares[allocation.Council] = Money.Normalise(
                shares.GetValueOrDefault(allocation.Council) + allocation.Amount);
        }

        return shares;
    }
}
