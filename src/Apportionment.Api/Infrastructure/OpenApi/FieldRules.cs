namespace Apportionment.Api.Infrastructure.OpenApi;

/// <summary>
/// What a field means by its name, the same in bodies and parameters (see Infrastructure/Validation/Rules.cs).
/// </summary>
public static class FieldRules
{
    public const string MonthPattern = @"^\d{4}-(0[1-9]|1[0-2])$";
    public const string PeriodPattern = @"^\d{4}(-(0[1-9]|1[0-2])|-\d{2}(-Q[1-4])?)$";
    public const string CodePattern = "^[A-Z0-9-]{2,16}$";
    public const string FinancialYearPattern = @"^\d{4}-\d{2}$";

    public const string MoneyDescription = "GBP, two decimal places.";
    public const string PercentDescription = "Percent, at most four decimal places.";

    private static readonly HashSet<string> MonthFields = new(StringComparer.Ordinal) {
        "month",
        "startMonth",
        "endMonth",
        "effectiveFrom",
        "asOf" };
    private static readonly HashSet<string> CodeFields = new(StringComparer.Ordinal) {
        "code",
        "council",
        "hostCouncil",
        "paidBy",
        "service" };
    private static readonly HashSet<string> CodeListFields = new(StringComparer.Ordinal) { "members", "councils" };
    private static readonly HashSet<string> PercentFields = new(StringComparer.Ordinal) { "percent", "sharePercent" };

    /// <summary>The pattern a string field must match, or null if it has none.</summary>
    public static string? PatternFor(string name) =>
        MonthFields.Contains(name) ? MonthPattern
        : name == "period" ? PeriodPattern
        : name is "financialYear" or "baseYear" ? FinancialYearPattern
        : CodeFields.Contains(name) ? CodePattern
        : null;

    public static bool IsCodeList(string name) => CodeListFields.Contains(name);

    public static bool IsPercent(string name) => PercentFields.Contains(name);

    public static string? DescriptionFor(string name) =>
        MonthFields.Contains(name) ? "A month, e.g. 2024-05."
        : name == "period"
            ? "A month (2024-05), a financial-year quarter (2024-25-Q1) or a financial year (2024-25, April to March)."
            : name is "financialYear" or "baseYear" ? "A financial year, e.g. 2025-26 (April 2025 to March 2026)."
        : CodeFields.Contains(name)
            ? "A council or shared-service code: 2–16 characters of A–Z, 0–9 and '-', e.g. MDDC."
            : null;
}

/// <summary>
/// A response whose strings are free text whatever their names (e.g. the version's "service"), so the contract gives
/// them no field pattern.
/// </summary>
public interface IFreeFormText;
