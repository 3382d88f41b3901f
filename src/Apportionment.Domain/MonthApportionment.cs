namespace Apportionment.Domain;

/// <summary>How one month's net cost was split; allocations are in ordinal council order and sum to the cost.</summary>
public sealed record MonthApportionment(
    Month Month,
    decimal NetCost,
    Guid? AgreementId,
    SplitMethod? Method,
    IReadOnlyList<CouncilAmount> Allocations);
