namespace Apportionment.Api.Features.Ledger;

/// <summary>
/// One service on a council's statement. share = direct + overheads; balance = share − paidDirectly: above zero the
/// council owes the host, below zero the host owes it.
/// </summary>
public sealed record StatementLine(
    string Service, string ServiceName, string HostCouncil, decimal NetCost, decimal SharePercent, decimal Share,
    decimal PaidDirectly, decimal Balance, decimal Direct, decimal Overheads);

/// <summary>
/// What one council owes or is owed across every shared service it belongs to, for a period. A service with a month
/// that cannot be apportioned yet is left out of the lines and listed in <see cref="Unapportioned"/>.
/// <see cref="IssuedAt"/> is set when the statement is final: every month of every service closed, nothing left out.
/// </summary>
public sealed record CouncilStatement(
    string Council, Period Period, IReadOnlyList<StatementLine> Lines, IReadOnlyList<UnapportionedDto> Unapportioned,
    DateTimeOffset? IssuedAt)
{
    /// <summary>
    /// By service: what the council was invoiced for the period, paid and still owes (see InvoiceFigures).
    /// </summary>
    public IReadOnlyDictionary<string, InvoicedFigures> Invoiced { get; init; }
        = new Dictionary<string, InvoicedFigures>();
}

/// <summary>
/// Councils' statement figures: the recharge statement shows them; invoices, journals and reviews use them too.
/// </summary>
public sealed class CouncilStatements(LedgerReader ledger, StatementCache kept)
{
    /// <summary>
    /// 404 if there is no such council. The caller checks the caller may act for it. A statement this replica computed
    /// before is answered again while its ledger stamp is unchanged (see <see cref="StatementCache"/>).
    /// </summary>
    public async Task<CouncilStatement> ReadAsync(string council, Period period, CancellationToken ct)
    {
        if (kept.Find(council, period) is { } held
            && held.Stamp.Matches(await ledger.StampAsync(council, held.Stamp.Services, ct)))
        {
            kept.Reused();
            return held.Statement;
        }

        var statement = await ReadLedgerAsync(council, period, ct);
        kept.Keep(council, period, statement);
        return statement.Statement;
    }

    private async Task<KeptStatement> ReadLedgerAsync(string council, Period period, CancellationToken ct)
    {
        var read = await ledger.ReadCouncilAsync(council, period, ct, withCloses: true);
        var (ledgers, unapportioned) = read;
        var issued = Issued(ledgers, read.Closes, period);
        var lines = ledgers
            .Where(l => l.Apportionment.Months.Any(m => m.NetCost != 0) || l.Overheads.DirectCost != 0
                || l.Paid.Values.Any(v => v != 0))
            .Select(l =>
            {
                var share = l.Apportionment.ShareOf(council);
                var paid = l.PaidBy(council);
                return new StatementLine(
                    l.Service,
                    issued.Names.GetValueOrDefault(l.Service, l.Name),
                    l.HostCouncil,
                    l.Apportionment.NetCost,
                    l.Apportionment.SharePercentOf(council),
                    share,
                    paid,
                    l.BalanceOf(council),
                    l.Overheads.DirectShareOf(council),
                    l.Overheads.OverheadsShareOf(council));
            })
            .ToList();
        // A statement with services left out is not final, whatever months are closed.
        return new KeptStatement(read.Stamp, new CouncilStatement(
            council,
            period,
            lines,
            unapportioned,
            unapportioned.Count == 0 ? issued.At : null)
        { Invoiced = read.Invoiced });
    }

    /// <summary>
    /// A statement of closed months is an issued document: fetched again it must be the same, byte for byte. So a
    /// service whose months of the period (those it runs in) are all closed is named as it was when the last of them
    /// closed, not as it is called now; and the statement is dated by the latest close of its months rather than by the
    /// request when that holds for every service of the council. Otherwise its figures may still move and it is dated
    /// now.
    /// </summary>
    private static (DateTimeOffset? At, Dictionary<string, string> Names) Issued(
        IReadOnlyList<ServiceLedger> runs,
        IReadOnlyList<MonthClose> monthsClosed,
        Period period)
    {
        var closed = monthsClosed.ToDictionary(c => (c.Service, c.Month));
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var allClosed = true;
        DateTimeOffset? at = null;
        foreach (var run in runs)
        {
            var months = period.Months.Select(m => m.FirstDay)
                .Where(m => m >= run.StartMonth && (run.EndMonth is not { } end || m <= end))
                .ToList();
            if (months.All(m => closed.ContainsKey((run.Service, m))))
            {
                var closes = months.Select(m => closed[(run.Service, m)]).ToList();
                if (closes.Count > 0 && closes[^1].ServiceName is { } name)
                {
                    names[run.Service] = name;
                }

                at = closes.Select(c => (DateTimeOffset?)c.ClosedAt).Append(at).Max();
            }
            else
            {
                allClosed = false;
            }
        }

        return (allClosed ? at : null, names);
    }
}
