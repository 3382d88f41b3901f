namespace Apportionment.Api.Infrastructure.OpenApi;

/// <summary>
/// The example request bodies the contract shows, by body type. The features supply them (Features/RequestExamples.cs),
/// so the document's plumbing here knows no feature's types.
/// </summary>
public sealed record RequestExampleCatalog(
    IReadOnlyDictionary<Type, string> ByType,
    IReadOnlyDictionary<Type, IReadOnlyList<(string Name, string Summary, string Json)>> MoreByType);
