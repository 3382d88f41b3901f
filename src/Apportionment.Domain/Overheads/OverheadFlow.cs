namespace Apportionment.Domain;

/// <summary>
/// Part of a support service's cost passed to a service it supports or charged to a council directly.
/// </summary>
public sealed record OverheadFlow(string From, Recipient To, decimal Amount, SplitMethod Method);
