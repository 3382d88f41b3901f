namespace Apportionment.Domain;

/// <summary>
/// One support service in one month: its direct net cost, the support rule in force and its driver figures.
/// </summary>
public sealed record SupportServiceMonth(
    string Service,
    decimal DirectCost,
    SupportRule Rule,
    IReadOnlyDictionary<string, decimal>? Activity);

/// <summary>
/// A month's overhead flows, plus each support service's gross cost (direct + received) that they share out.
/// Every support service's outgoing flows add up exactly to its gross cost, which is its direct cost plus its incoming
/// flows.
/// </summary>
public sealed record SupportMonthAllocation(
    Month Month,
    IReadOnlyList<OverheadFlow> Flows,
    IReadOnlyDictionary<string, decimal> GrossCost);
