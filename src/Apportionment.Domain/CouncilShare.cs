namespace Apportionment.Domain;

/// <summary>One council's agreed percentage in a fixed split (e.g. SHDC 60).</summary>
public sealed record CouncilShare(string Council, decimal Percent);
