namespace Apportionment.Domain;

/// <summary>
/// Savings for each council over a period, with totals over the councils that have a baseline (so baseline − share =
/// saving holds for the totals too) and how many have none.
/// </summary>
public sealed record SavingsReport(
    Period Period,
    IReadOnlyList<CouncilSaving> Councils,
    decimal Baseline,
    decimal Share,
    decimal Saving,
    int CouncilsWithoutBaseline)
{
    /// <summary>The months baseline and share were taken over, in order.</summary>
    public IReadOnlyList<Month> MonthsCounted { get; init; } = [];
}
