namespace Apportionment.Domain;

/// <summary>
/// One month of one shared service: its net cost (negative for net income), the agreement in force
/// (null when none) and, for a driver split, each council's activity figure for the month.
/// </summary>
public sealed record ServiceMonthInput(Month Month, decimal NetCost, AgreementInForce? Agreement, IReadOnlyDictionary<string, decimal>? Activity);
