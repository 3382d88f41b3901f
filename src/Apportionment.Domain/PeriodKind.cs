namespace Apportionment.Domain;

/// <summary>The reporting periods councils use: a month, a financial-year quarter, or a whole financial year.</summary>
public enum PeriodKind
{
    Month,
    Quarter,
    FinancialYear,
}
