namespace Apportionment.Domain;

/// <summary>Savings for each council over a period, with the partnership totals.</summary>
public sealed record SavingsReport(Period Period, IReadOnlyList<CouncilSaving> Councils, decimal Baseline, decimal Share, decimal Saving);
