namespace Apportionment.Api.Infrastructure.Http;

/// <summary>
/// The headings and row markers of every CSV in words, for labels=human. Money columns say (£) and percentages (%),
/// so the reader knows the unit without the documentation; a heading not listed is spelt out from its code.
/// </summary>
public static class CsvHeadings
{
    private static readonly Dictionary<string, string> Headings = new(StringComparer.Ordinal)
    {
        ["id"] = "Posting",
        ["council"] = "Council",
        ["service"] = "Service",
        ["serviceName"] = "Service name",
        ["hostCouncil"] = "Host council",
        ["period"] = "Period",
        ["month"] = "Month",
        ["financialYear"] = "Financial year",
        ["asOf"] = "As of",
        ["model"] = "Settlement model",
        ["from"] = "From",
        ["to"] = "To",
        ["toKind"] = "To (kind)",
        ["method"] = "Method",
        ["amount"] = "Amount (£)",
        ["netCost"] = "Net cost (£)",
        ["sharePercent"] = "Share (%)",
        ["share"] = "Share (£)",
        ["paidDirectly"] = "Paid directly (£)",
        ["balance"] = "Balance (£)",
        ["direct"] = "Direct costs (£)",
        ["overheads"] = "Overheads (£)",
        ["baseline"] = "Baseline (£)",
        ["saving"] = "Saving (£)",
        ["budget"] = "Budget (£)",
        ["target"] = "Target (£)",
        ["profiledBudgetToDate"] = "Profiled budget to date (£)",
        ["actualToDate"] = "Actual to date (£)",
        ["varianceToDate"] = "Variance to date (£)",
        ["forecastOutturn"] = "Forecast outturn (£)",
        ["forecastVariance"] = "Forecast variance (£)",
        ["status"] = "Status",
        ["budgetShare"] = "Budget share (£)",
        ["actualShare"] = "Actual share (£)",
        ["forecastShare"] = "Forecast share (£)",
        ["category"] = "Category",
        ["paidBy"] = "Paid by",
        ["reference"] = "Reference",
        ["description"] = "Description",
        ["reversalOf"] = "Reversal of",
        ["reversalReason"] = "Reversal reason",
        ["reversedBy"] = "Reversed by",
        ["postedAt"] = "Posted at",
        ["number"] = "Invoice number",
        ["kind"] = "Kind",
        ["net"] = "Net (£)",
        ["vat"] = "VAT (£)",
        ["gross"] = "Gross (£)",
        ["vatTreatment"] = "VAT treatment",
        ["issuedOn"] = "Issued on",
        ["dueOn"] = "Due on",
        ["paid"] = "Paid (£)",
        ["outstanding"] = "Outstanding (£)",
        ["overdue"] = "Overdue",
        ["cancels"] = "Cancels",
        ["actualPercent"] = "Actual share (%)",
        ["estimatePercent"] = "Estimated share (%)",
        ["rule"] = "Rule",
        ["yearEndShare"] = "Year-end share (£)",
        ["invoicedOnAccount"] = "Invoiced on account (£)",
        ["finalCharge"] = "Final charge (£)",
        ["finalVat"] = "Final VAT (£)",
        ["finalGross"] = "Final gross (£)",
        ["invoice"] = "Invoice",
    };

    private static readonly Dictionary<string, string> Markers = new(StringComparer.Ordinal)
    {
        ["TOTAL"] = "Total",
        ["NOTE"] = "Note",
        ["DIRECT"] = "Direct costs",
        ["RECEIVED"] = "Overheads received",
        ["PASSED ON"] = "Overheads passed on",
    };

    /// <summary>A budget's status in words: on-track as "On track".</summary>
    public static string Status(string value) => value switch
    {
        "on-track" => "On track",
        "at-risk" => "At risk",
        "over" => "Over budget",
        _ => value,
    };

    public static string Human(string heading) =>
        Headings.TryGetValue(heading, out var words) ? words : SpellOut(heading);

    /// <summary>TOTAL, NOTE and the overhead rows' markers in words; any other text as it is.</summary>
    public static string Marker(string value) =>
        Markers.TryGetValue(value, out var words) ? words
        : value.StartsWith("RECEIVED FROM ", StringComparison.Ordinal) ? "Received from " + value[14..]
        : value.StartsWith("PASSED ON TO ", StringComparison.Ordinal) ? "Passed on to " + value[13..]
        : value;

    /// <summary>forecastOutturn as "Forecast outturn".</summary>
    private static string SpellOut(string code) => string.Concat(code.Select((c, i) =>
        i == 0 ? char.ToUpperInvariant(c).ToString()
        : char.IsUpper(c) ? " " + char.ToLowerInvariant(c)
        : c.ToString()));
}
