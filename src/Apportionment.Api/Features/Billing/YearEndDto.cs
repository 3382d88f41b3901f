using Apportionment.Api.Features.Ledger;
using Apportionment.Api.Infrastructure.Http;
using Apportionment.Api.Infrastructure.Validation;
using Apportionment.Domain.Billing;

namespace Apportionment.Api.Features.Billing;

/// <summary>
/// One partner's year end. yearEndShare is the actual share, or under a tolerance the estimate-based share when the
/// actual one is within it (rule says which); invoicedOnAccount + finalCharge + paidDirectly = yearEndShare, to the
/// penny. A positive final charge is a further charge, a negative one a refund (a credit note).
/// </summary>
public sealed record YearEndCouncilDto(
    string Council, decimal ActualShare, decimal ActualPercent, decimal? EstimatePercent, string Rule,
    decimal YearEndShare, decimal PaidDirectly,
    decimal InvoicedOnAccount, decimal FinalCharge, decimal FinalVat, decimal FinalGross, string? Invoice)
{
    public static YearEndCouncilDto From(YearEndCharge c, string? invoice) => new(
        c.Council, c.ActualShare, c.ActualPercent, c.EstimatePercent, RuleText(c.Rule), c.YearEndShare, c
            .PaidDirectly, c.OnAccount,
        c.FinalCharge, c.FinalVat, c.FinalCharge + c.FinalVat, invoice);

    public static string RuleText(YearEndRule rule) => rule switch
    {
        YearEndRule.EstimateWithinTolerance => "estimate-within-tolerance",
        YearEndRule.ActualOutsideTolerance => "actual-outside-tolerance",
        _ => "actual",
    };
}

/// <summary>
/// A service's year-end true-up for its partners (the host bills nobody for its own share). openMonths lists the
/// months of the year still open: the year end can be issued only when there are none.
/// </summary>
public sealed record YearEndDto(
    string Service, string FinancialYear, string HostCouncil, string Basis, decimal? TolerancePercent,
    string VatTreatment, decimal NetCost,
    IReadOnlyList<string> OpenMonths, bool Issued, DateTimeOffset? IssuedAt,
    IReadOnlyList<YearEndCouncilDto> Councils) : ICsvExport
{
    public CsvFile ToCsv()
    {
        var csv = new CsvFile(
            $"year-end-{Service}-{FinancialYear}.csv",
            "service",
            "financialYear",
            "council",
            "actualShare",
            "actualPercent",
            "estimatePercent",
            "rule",
            "yearEndShare",
            "paidDirectly",
            "invoicedOnAccount",
            "finalCharge",
            "finalVat",
            "finalGross",
            "invoice");
        foreach (var c in Councils)
        {
            csv.Row(Service, FinancialYear, c.Council, c.ActualShare, CsvCell.Number(c.ActualPercent),
                c.EstimatePercent is { } e ? CsvCell.Number(e) : CsvCell.Empty, c.Rule, c.YearEndShare, c.PaidDirectly,
                c.InvoicedOnAccount, c.FinalCharge, c.FinalVat, c.FinalGross, c.Invoice);
        }

        return csv;
    }
}
