namespace Apportionment.Domain;

/// <summary>A sterling amount attributed to one council.</summary>
public sealed record CouncilAmount(string Council, decimal Amount);
