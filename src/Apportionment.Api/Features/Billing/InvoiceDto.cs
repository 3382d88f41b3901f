using Apportionment.Api.Features.Ledger;
using Apportionment.Api.Infrastructure.Http;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Validation;

namespace Apportionment.Api.Features.Billing;

/// <summary>
/// An invoice or credit note from the host to a partner. outstanding = gross − paid; overdue once the due date has
/// passed with something still outstanding. A credit note's amounts are negative.
/// </summary>
public sealed record InvoiceDto(
    string Number, string Kind, string Service, string HostCouncil, string Council, string Period, decimal Net,
    decimal Vat, decimal Gross,
    string VatTreatment, DateOnly IssuedOn, DateOnly DueOn, string Status, decimal Paid, decimal Outstanding,
    bool Overdue, string? Cancels)
{
    public static InvoiceDto From(Invoice i, DateOnly today, string? cancels = null)
    {
        var outstanding = i.Status == BillingWords.Cancelled || i.Kind == BillingWords.CreditNote
            ? 0.00m
            : i.Gross - i.Paid;
        return new InvoiceDto(
            i.Number,
            i.Kind,
            i.ServiceCode,
            i.HostCouncil,
            i.Council,
            i.Period,
            i.Net,
            i.Vat,
            i.Gross,
            i.VatTreatment,
            i.IssuedOn,
            i.DueOn,
            i.Status,
            i.Paid,
            outstanding,
            outstanding > 0m && i.DueOn < today,
            cancels);
    }
}

/// <summary>A page of invoices; as CSV, one row per invoice.</summary>
public sealed record InvoiceListDto(IReadOnlyList<InvoiceDto> Items, int Offset, int Limit, int Total) : ICsvExport
{
    public CsvFile ToCsv()
    {
        var csv = new CsvFile(
            "invoices.csv",
            "number",
            "kind",
            "service",
            "hostCouncil",
            "council",
            "period",
            "net",
            "vat",
            "gross",
            "vatTreatment",
            "issuedOn",
            "dueOn",
            "status",
            "paid",
            "outstanding",
            "overdue",
            "cancels");
        foreach (var i in Items)
        {
            csv.Row(
                i.Number,
                i.Kind,
                i.Service,
                i.HostCouncil,
                i.Council,
                i.Period,
                i.Net,
                i.Vat,
                i.Gross,
                i.VatTreatment,
                i.IssuedOn.ToString("yyyy-MM-dd"),
                i.DueOn.ToString("yyyy-MM-dd"),
                i.Status,
                i.Paid,
                i.Outstanding,
                i.Overdue ? "true" : "false",
                i.Cancels);
        }

        return csv;
    }
}

/// <summary>The invoices raised for one billing period; created is false when they had been raised already.</summary>
public sealed record InvoiceRunDto(string Service, string Period, bool Created, IReadOnlyList<InvoiceDto> Invoices);

public sealed record PaymentDto(
    Guid Id,
    string Invoice,
    decimal Amount,
    DateOnly PaidOn,
    string Reference,
    DateTimeOffset RecordedAt,
    InvoiceDto InvoiceAfter);
