namespace Apportionment.Domain.Tests;

/// <summary>Agreements drawn from the Mid Devon partnerships report (2018).</summary>
internal static class Councils
{
    public static AgreementInForce Agreement(SplitRule rule) => new(Guid.NewGuid(), rule);

    public static ServiceMonthInput Month(
        string month,
        decimal netCost,
        AgreementInForce? agreement,
        IReadOnlyDictionary<string, decimal>? activity = null) =>
        new(Domain.Month.Parse(month), netCost, agreement, activity);

    /// <summary>South Hams and West Devon's planning split.</summary>
    public static AgreementInForce Planning6040 { get; }
        = Agreement(SplitRule.Fixed([new("SHDC", 60m), new("WDBC", 40m)]));

    /// <summary>Devon Audit Partnership, hosted by Devon County for five councils.</summary>
    public static AgreementInForce AuditPartnership { get; } = Agreement(SplitRule.Fixed(
        [new("DCC", 40m), new("MDDC", 15m), new("TDC", 15m), new("TORR", 15m), new("PCC", 15m)]));

    /// <summary>Mid Devon and North Devon building control, split by surveyor hours.</summary>
    public static AgreementInForce BuildingControl { get; }
        = Agreement(SplitRule.ByDriver("surveyor-hours", ["MDDC", "NDC"]));
}
