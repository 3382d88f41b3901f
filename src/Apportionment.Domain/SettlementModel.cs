namespace Apportionment.Domain;

/// <summary>How partners square up after a period.</summary>
public enum SettlementModel
{
    /// <summary>
    /// Every partner settles with the host council (the usual arrangement, e.g. the Devon Audit Partnership).
    /// </summary>
    Host,

    /// <summary>Debtors pay creditors directly, in as few transfers as the greedy matching finds.</summary>
    Netting,
}
