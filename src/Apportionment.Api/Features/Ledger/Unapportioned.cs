namespace Apportionment.Api.Features.Ledger;

/// <summary>
/// A service month that cannot be apportioned yet, e.g. a driver month still waiting for some councils' figures;
/// leftOut names the services of the answer it kept out (it, or those it feeds through support links).
/// </summary>
public sealed record UnapportionedDto(string Service, string Month, IReadOnlyList<string> CouncilsWithoutFigures)
{
    public IReadOnlyList<string> LeftOut { get; init; } = [];
}

public static class UnapportionedNote
{
    /// <summary>
    /// What a CSV note row says was left out, e.g. "Not apportioned yet: DR 2024-05 (no figures from A, B)".
    /// </summary>
    public static string Note(this IReadOnlyList<UnapportionedDto> unapportioned) =>
        "Not apportioned yet, so left out of the totals: " + string.Join("; ", unapportioned.Select(u =>
            u.CouncilsWithoutFigures.Count == 0
                ? $"{u.Service} {u.Month}"
                : $"{u.Service} {u.Month} (no figures from {string.Join(", ", u.CouncilsWithoutFigures)})"));
}
