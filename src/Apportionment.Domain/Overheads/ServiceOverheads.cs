namespace Apportionment.Domain;

/// <summary>
/// The path of a service's pounds over a period. <see cref="Total"/> = <see cref="DirectCost"/> + overheads received
/// − overheads passed on, and is what its councils bear (the apportionment's net cost). Each council's share splits
/// exactly into its part of the direct cost kept by the service and its part of the overheads.
/// </summary>
public sealed record ServiceOverheads(
    ServiceApportionment Apportionment,
    decimal DirectCost,
    IReadOnlyDictionary<string, decimal> ReceivedFrom,
    IReadOnlyDictionary<string, decimal> PassedOnTo,
    IReadOnlyDictionary<string, decimal> CouncilDirect)
{
    public decimal Received => Money.Normalise(ReceivedFrom.Values.Sum());

    public decimal PassedOn => Money.Normalise(PassedOnTo.Values.Sum());

    public decimal Total => Apportionment.NetCost;

    public decimal DirectShareOf(string council) => Money.Normalise(CouncilDirect.GetValueOrDefault(council));

    public decimal OverheadsShareOf(string council)
        => Money.Normalise(Apportionment.ShareOf(council) - DirectShareOf(council));
}

/// <summary>Every flow of a period (month by month) and each requested service's figures.</summary>
public sealed record OverheadApportionment(
    IReadOnlyList<SupportMonthAllocation> Months,
    IReadOnlyDictionary<string, ServiceOverheads> Services);
