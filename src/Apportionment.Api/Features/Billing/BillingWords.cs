using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Pipeline;
using Apportionment.Domain;
using Apportionment.Domain.Billing;

namespace Apportionment.Api.Features.Billing;

/// <summary>The words billing terms and invoices are written in, and what they mean to the domain.</summary>
public static class BillingWords
{
    public static readonly IReadOnlyList<string> LegalBases
        = ["s101-joint-committee", "s113-staff", "goods-and-services-act", "contract"];
    public static readonly IReadOnlyList<string> VatTreatments = ["outside-scope", "standard", "exempt"];
    public static readonly IReadOnlyList<string> Modes = ["invoice", "journal"];
    public static readonly IReadOnlyList<string> Schedules = ["monthly", "quarterly", "annual"];
    public static readonly IReadOnlyList<string> Bases = ["budget", "estimate"];

    public const string OnAccount = "on-account";
    public const string Final = "final";
    public const string CreditNote = "credit-note";

    public const string Issued = "issued";
    public const string PartPaid = "part-paid";
    public const string Paid = "paid";
    public const string Cancelled = "cancelled";

    /// <summary>
    /// The VAT treatment a legal basis implies unless the terms say otherwise (see docs/billing.md). A s101 delegation
    /// or joint committee, and s113 staff placed at another council's disposal, act under a special legal regime, so
    /// the recharge is outside the scope (VATGPB3240, VATGPB8860; a joint committee is itself a local authority for
    /// VAT, VATGPB4210). Goods and services under the 1970 Act and plain contracts are inter-authority supplies
    /// (VATGPB6800); where they compete with the private sector, as building control does, they are standard-rated
    /// (VATGPB8855), which is the default; a non-competing statutory service overrides it to outside-scope.
    /// </summary>
    public static string DefaultVat(string legalBasis) => legalBasis switch
    {
        "s101-joint-committee" or "s113-staff" => "outside-scope",
        _ => "standard",
    };

    public static VatTreatment Treatment(string text) => text switch
    {
        "standard" => VatTreatment.Standard,
        "exempt" => VatTreatment.Exempt,
        _ => VatTreatment.OutsideScope,
    };

    public static BillingSchedule Schedule(string text) => text switch
    {
        "monthly" => BillingSchedule.Monthly,
        "annual" => BillingSchedule.Annual,
        _ => BillingSchedule.Quarterly,
    };

    public static void OneOf(
        this ValidationErrors errors,
        string field,
        string? value,
        IReadOnlyList<string> allowed,
        bool required = true)
    {
        if (value is null ? required : !allowed.Contains(value))
        {
            errors.Add(field, $"Must be one of: {string.Join(", ", allowed)}.");
        }
    }

    /// <summary>A financial year as written in reports: "2025-26".</summary>
    public static void FinancialYear(this ValidationErrors errors, string field, string? value)
    {
        if (!Period.TryParse(value, out var period, out _) || period!.Kind != PeriodKind.FinancialYear)
        {
            errors.Add(field, "Must be a financial year like 2025-26.");
        }
    }

    public static Period ToYear(this string financialYear) =>
        Period.TryParse(financialYear, out var p, out _) && p!.Kind == PeriodKind.FinancialYear
            ? p
            : throw RequestValidationException.For("financialYear", "Must be a financial year like 2025-26.");
}
