using System.Globalization;
using Apportionment.Api.Features.Ledger;
using Apportionment.Api.Infrastructure.Documents;
using Apportionment.Api.Infrastructure.Http;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Validation;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Features.Billing;

/// <summary>One council's approval of an agreement an invoice rests on.</summary>
public sealed record ApprovalDto(string Council, string CouncilName, DateTimeOffset ApprovedAt);

/// <summary>An agreed split in force during the invoice's period, with who approved it and when.</summary>
public sealed record AgreementTrailDto(
    Guid Agreement,
    string EffectiveFrom,
    string Method,
    DateTimeOffset? AgreedAt,
    IReadOnlyList<ApprovalDto> Approvals);

public sealed record InvoicePaymentDto(decimal Amount, DateOnly PaidOn, string Reference);

/// <summary>
/// An invoice with what its document shows: both councils' names, the payments and the agreements behind it.
/// </summary>
public sealed record InvoiceDocument(
    InvoiceDto Invoice, string ServiceName, string HostName, string CouncilName,
    IReadOnlyList<InvoicePaymentDto> Payments, IReadOnlyList<AgreementTrailDto> Agreements)
{
    public static async Task<InvoiceDocument> ReadAsync(
        ApportionmentDb db,
        Invoice invoice,
        DateOnly today,
        CancellationToken ct)
    {
        var names = await db.Councils.AsNoTracking().ToDictionaryAsync(c => c.Code, c => c.Name, ct);
        var service = await db.SharedServices.AsNoTracking().Where(s => s.Code == invoice.ServiceCode)
            .Select(s => s.Name)
            .SingleAsync(ct);
        var cancels = invoice.Cancels is { } id
            ? await db.Invoices.Where(i => i.Id == id).Select(i => i.Number).SingleAsync(ct)
            : null;
        var payments = await db.InvoicePayments.AsNoTracking().Where(p => p.InvoiceId == invoice.Id)
            .OrderBy(p => p.PaidOn)
            .ThenBy(p => p.RecordedAt)
            .Select(p => new InvoicePaymentDto(p.Amount, p.PaidOn, p.Reference))
            .ToListAsync(ct);
        // The agreement in force at the start of the period, and any that took over during it.
        var agreed = await db.SplitAgreements.AsNoTracking().Include(a => a.Approvals)
            .Where(a => a.ServiceCode == invoice.ServiceCode && a.Status == "agreed"
                && a.EffectiveFrom <= invoice.PeriodLast)
            .OrderBy(a => a.EffectiveFrom).ThenBy(a => a.AgreedAt).ToListAsync(ct);
        var first = agreed.LastOrDefault(a => a.EffectiveFrom <= invoice.PeriodFirst);
        var trail = agreed.Where(a => a == first || a.EffectiveFrom > invoice.PeriodFirst)
            .Select(a => new AgreementTrailDto(a.Id, a.EffectiveFrom.ToMonthText(), a.Method, a.AgreedAt,
                a.Approvals.OrderBy(x => x.ApprovedAt).Select(
                    x => new ApprovalDto(x.Council, names.GetValueOrDefault(x.Council, x.Council), x.ApprovedAt))
                    .ToList()))
            .ToList();
        return new InvoiceDocument(InvoiceDto.From(invoice, today, cancels), service,
            names.GetValueOrDefault(invoice.HostCouncil, invoice.HostCouncil), names.GetValueOrDefault(
                invoice.Council,
                invoice.Council), payments, trail);
    }

    /// <summary>
    /// The document the host sends: who bills whom, for what, the amounts, and the approvals behind the split.
    /// </summary>
    public byte[] ToPdf()
    {
        var i = Invoice;
        var credit = i.Kind == BillingWords.CreditNote;
        using var pdf = new InvoicePages($"{(credit ? "Credit note" : "Invoice")} {i.Number}");
        pdf.Heading($"{(credit ? "Credit note" : "Invoice")} {i.Number}")
            .Line($"From: {HostName} ({i.HostCouncil}), host of {ServiceName} ({i.Service})", bold: true)
            .Line($"To: {CouncilName} ({i.Council})", bold: true)
            .Gap()
            .Row("Issued", Day(i.IssuedOn))
            .Row("Due", Day(i.DueOn))
            .Row("Period", i.Period)
            .Row("Charge", i.Kind switch
            {
                BillingWords.OnAccount => "On account",
                BillingWords
                .Final => "Year-end final charge",
                _ => "Credit"
            })
            .Row("VAT treatment", i.VatTreatment)
            .Gap()
            .Row("Net", i.Net)
            .Row("VAT", i.Vat)
            .Row("Gross", i.Gross, bold: true);
        if (i.Cancels is not null)
        {
            pdf.Line($"Cancels invoice {i.Cancels}.");
        }

        pdf.Gap().Row("Paid", i.Paid).Row("Outstanding", i.Outstanding, bold: true).Row("Status", i.Status);
        foreach (var p in Payments)
        {
            pdf.Row($"Payment {p.Reference} on {Day(p.PaidOn)}", p.Amount);
        }

        pdf.Gap().Line("Agreement this charge rests on", bold: true);
        foreach (var a in Agreements)
        {
            pdf.Line($"Split {a.Method} from {a.EffectiveFrom}, agreed {(a.AgreedAt is { } at ? Day(at) : "-")} "
                + $"(agreement {a.Agreement})");
            foreach (var approval in a.Approvals)
            {
                pdf.Line($"    Approved by {approval.CouncilName} ({approval.Council}) on {Day(approval.ApprovedAt)}");
            }
        }

        return pdf.ToBytes();
    }

    public IResult ToPdfResult() => TypedResults.File(ToPdf(), "application/pdf", $"{Invoice.Number}.pdf");

    private static string Day(DateOnly d) => d.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string Day(DateTimeOffset t) => Day(DateOnly.FromDateTime(t.UtcDateTime));
}
