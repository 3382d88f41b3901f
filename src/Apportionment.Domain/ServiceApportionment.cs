namespace Apportionment.Domain;

/// <summary>
/// A service's cost over a period: the month-by-month splits and each council's total share.
/// The allocations always add up exactly to <see cref="NetCost"/>.
/// </summary>
public sealed record ServiceApportionment(
    string Service,
    Period Period,
    decimal NetCost,
    IReadOnlyList<MonthApportionment> Months,
    IReadOnlyList<CouncilAmount> Allocations)
{
    /// <summary>The council's share of the net cost for the period; 0 for a council not party to it.</summary>
    public decimal ShareOf(string council)
    {
        foreach (var allocation in Allocations)
        {
            if (string.Equals(allocation.Council, council, StringComparison.Ordinal))
            {
                return allocation.Amount;
            }
        }

        return 0m;
    }

    /// <summary>
    /// The council's effective percentage over the period (it differs from any single agreement's
    /// figure when the ratio changed mid-period). Rounded to 4 places for display; 0 when there is no cost.
    /// </summary>
    public decimal SharePercentOf(string council) =>
        NetCost == 0m ? 0m : Math.Round(ShareOf(council) / NetCost * 100m, 4, MidpointRounding.AwayFromZero);
}
