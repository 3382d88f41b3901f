namespace Apportionment.Domain;

/// <summary>A payment of a positive amount from one council to another.</summary>
public sealed record Transfer(string From, string To, decimal Amount);
