namespace Apportionment.Domain;

/// <summary>A council's saving from the partnership: what it would have spent alone less its share.</summary>
public sealed record CouncilSaving(string Council, decimal Baseline, decimal Share, decimal Saving);
