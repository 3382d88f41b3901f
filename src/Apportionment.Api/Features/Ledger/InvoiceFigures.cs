using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Domain;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Features.Ledger;

/// <summary>
/// What a council was invoiced for a service over a period, what it paid and what is still outstanding.
/// </summary>
public sealed record InvoicedFigures(decimal InvoicedOnAccount, decimal Paid, decimal Outstanding);

/// <summary>
/// The billing side of the ledger, for reports that sit beside it (statements, settlements). Counts the invoices whose
/// billing period lies within the period asked for; a cancelled invoice and the credit note cancelling it count for
/// nothing, a year-end refund (a credit note of its own) counts negative. A statement's figures by service come with
/// its ledger read (the invoice part of the database's ledger_rows), so the statement stays one round trip.
/// </summary>
public static class InvoiceFigures
{
    /// <summary>
    /// By partner: the part of the net charges of the service's invoices for the period that payments have settled. A
    /// payment settles an invoice's net charge first and its VAT last, since VAT is the host's to pass to HMRC and no
    /// part of anyone's share.
    /// </summary>
    public static async Task<Dictionary<string, decimal>> NetPaidAsync(
        ApportionmentDb db,
        string service,
        Period period,
        CancellationToken ct)
    {
        var (first, last) = (period.First.FirstDay, period.Last.FirstDay);
        var rows = await db.Invoices.AsNoTracking()
            .Where(i => i.ServiceCode == service && i.PeriodFirst >= first && i.PeriodLast <= last && i.Paid > 0m)
            .Select(i => new { i.Council, Settled = i.Paid < i.Net ? i.Paid : i.Net })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.Council)
            .ToDictionary(g => g.Key, g => g.Sum(r => r.Settled), StringComparer.Ordinal);
    }
}
