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
/// nothing, a year-end refund (a credit note of its own) counts negative.
/// </summary>
public static class InvoiceFigures
{
    private const string Cancelled = "cancelled";
    private const string OnAccount = "on-account";

    /// <summary>
    /// By service, the council's invoices received for a period: $1 the council, $2 the period's last month, $3 its
    /// first. Sent in the statement's ledger batch (LedgerBatch), so the statement stays one round trip.
    /// </summary>
    public const string CouncilSql = $"""
        select service_code, coalesce(sum(net) filter (where kind = '{OnAccount}'), 0), sum(paid), sum(gross)
        from invoices
        where council = $1 and period_first >= $3 and period_last <= $2 and status <> '{Cancelled}' and cancels is null
        group by service_code
        """;

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
