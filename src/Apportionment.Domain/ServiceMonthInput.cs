namespace Apportionment.Domain;

/// <summary>
/// One month of one shared service: its net cost (negative for net income), the agreement in force
/// (null when none), for a driver split each recipient's activity figure for the month, and the support agreement in
/// force when the service is a support service that month (its costs then go to the services it supports instead).
/// </summary>
public sealed record ServiceMonthInput(
    Month Month,
    decimal NetCost,
    AgreementInForce? Agreement,
    IReadOnlyDictionary<string, decimal>? Activity,
    SupportAgreementInForce? Support = null);
