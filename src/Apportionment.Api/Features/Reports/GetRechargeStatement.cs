using Apportionment.Api.Features.Shared;
using Apportionment.Api.Infrastructure.Security;
using Apportionment.Domain;
using Mediator;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Apportionment.Api.Features.Reports;

/// <summary>share = direct + overheads: the council's part of the service's own cost and of the overheads it bears.</summary>
public sealed record StatementLineDto(
    string Service, string ServiceName, string HostCouncil, decimal NetCost, decimal SharePercent, decimal Share, decimal PaidDirectly, decimal Balance,
    decimal Direct, decimal Overheads)
{
    /// <summary>Net invoiced on account for the period's billing periods (see InvoiceFigures).</summary>
    public decimal InvoicedOnAccount { get; init; }

    /// <summary>Paid against the invoices of the period.</summary>
    public decimal Paid { get; init; }

    /// <summary>Invoiced (gross, final charges and refunds included) less paid.</summary>
    public decimal Outstanding { get; init; }
}

public sealed record StatementTotalsDto(decimal Share, decimal PaidDirectly, decimal Balance)
{
    public decimal InvoicedOnAccount { get; init; }
    public decimal Paid { get; init; }
    public decimal Outstanding { get; init; }
}

/// <summary>
/// balance = share − paidDirectly: above zero the council owes the host, below zero the host owes it. A service with a
/// month that cannot be apportioned yet is left out of lines and totals and listed in unapportioned instead.
/// </summary>
public sealed record RechargeStatementDto(
    string Council, string Period, DateTimeOffset GeneratedAt, IReadOnlyList<StatementLineDto> Lines, StatementTotalsDto Totals, IReadOnlyList<UnapportionedDto> Unapportioned)
    : ICsvExport
{
    /// <summary>One row per service, a TOTAL row, then a NOTE row naming what was left out, if anything was.</summary>
    public CsvFile ToCsv()
    {
        var csv = new CsvFile($"recharge-statement-{Council}-{Period}.csv",
            "council", "period", "service", "serviceName", "hostCouncil", "netCost", "sharePercent", "share", "paidDirectly", "balance", "direct", "overheads");
        foreach (var l in Lines)
        {
            csv.Row(Council, Period, l.Service, l.ServiceName, l.HostCouncil, l.NetCost, CsvCell.Number(l.SharePercent), l.Share, l.PaidDirectly, l.Balance, l.Direct, l.Overheads);
        }

        csv.Row(Council, Period, "TOTAL", CsvCell.Empty, CsvCell.Empty, CsvCell.Empty, CsvCell.Empty, Totals.Share, Totals.PaidDirectly, Totals.Balance,
            Lines.Sum(l => l.Direct), Lines.Sum(l => l.Overheads));
        return Unapportioned.Count == 0 ? csv : csv.Row(Council, Period, "NOTE", Unapportioned.Note());
    }
}

/// <summary>What one council owes or is owed across every shared service it belongs to, for a month, quarter or year.</summary>
public sealed record GetRechargeStatement(string Council, string Period) : IQuery<RechargeStatementDto>;

public sealed class GetRechargeStatementHandler(Caller caller, LedgerReader ledger, TimeProvider clock)
    : IQueryHandler<GetRechargeStatement, RechargeStatementDto>
{
    public async ValueTask<RechargeStatementDto> Handle(GetRechargeStatement query, CancellationToken cancellationToken)
    {
        caller.EnsureActsFor(query.Council, "read statements");
        var period = Period.Parse(query.Period);
        var read = await ledger.ReadCouncilAsync(query.Council, period, cancellationToken, withCloses: true);
        var (ledgers, unapportioned) = read;
        var issued = Issued(ledgers, read.Closes, period);
        var lines = ledgers
            .Where(l => l.Apportionment.Months.Any(m => m.NetCost != 0) || l.Overheads.DirectCost != 0 || l.Paid.Values.Any(v => v != 0))
            .Select(l =>
            {
                var share = l.Apportionment.ShareOf(query.Council);
                var paid = l.PaidBy(query.Council);
                var billed = read.Invoiced.GetValueOrDefault(l.Service) ?? new InvoicedFigures(0m, 0m, 0m);
                return new StatementLineDto(l.Service, issued.Names.GetValueOrDefault(l.Service, l.Name), l.HostCouncil, l.Apportionment.NetCost,
                    l.Apportionment.SharePercentOf(query.Council), share, paid, share - paid,
                    l.Overheads.DirectShareOf(query.Council), l.Overheads.OverheadsShareOf(query.Council))
                {
                    InvoicedOnAccount = billed.InvoicedOnAccount, Paid = billed.Paid, Outstanding = billed.Outstanding,
                };
            })
            .ToList();
        // A statement with services left out is not final, whatever months are closed.
        var generatedAt = unapportioned.Count == 0 ? issued.At : null;
        return new RechargeStatementDto(query.Council, period.ToString(), generatedAt ?? clock.GetUtcNow(), lines,
            new StatementTotalsDto(lines.Sum(l => l.Share), lines.Sum(l => l.PaidDirectly), lines.Sum(l => l.Balance))
            {
                InvoicedOnAccount = lines.Sum(l => l.InvoicedOnAccount), Paid = lines.Sum(l => l.Paid), Outstanding = lines.Sum(l => l.Outstanding),
            }, unapportioned);
    }

    /// <summary>
    /// A statement of closed months is an issued document: fetched again it must be the same, byte for byte. So a
    /// service whose months of the period (those it runs in) are all closed is named as it was when the last of them
    /// closed, not as it is called now; and the statement is dated by the latest close of its months rather than by the
    /// request when that holds for every service of the council. Otherwise its figures may still move and it is dated now.
    /// </summary>
    private static (DateTimeOffset? At, Dictionary<string, string> Names) Issued(IReadOnlyList<ServiceLedger> runs, IReadOnlyList<MonthClose> monthsClosed, Period period)
    {
        var closed = monthsClosed.ToDictionary(c => (c.Service, c.Month));
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var allClosed = true;
        DateTimeOffset? at = null;
        foreach (var run in runs)
        {
            var months = period.Months.Select(m => m.FirstDay).Where(m => m >= run.StartMonth && (run.EndMonth is not { } end || m <= end)).ToList();
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

public static class GetRechargeStatementEndpoint
{
    public static void MapGetRechargeStatement(this RouteGroupBuilder reports) =>
        reports.MapGet("/councils/{code}/recharge-statements/{period}", async (string code, string period, HttpRequest request, HttpResponse response,
                IOptions<JsonOptions> json, IMediator mediator, CancellationToken ct) =>
                // The ETag covers the figures, not generatedAt, so an unchanged statement answers 304.
                CsvOrJson.Respond(request, response, json.Value.SerializerOptions, await mediator.Send(new GetRechargeStatement(code, period), ct),
                    perRequest: nameof(RechargeStatementDto.GeneratedAt)))
            .WithName("GetRechargeStatement").WithSummary("A council's recharge statement across its shared services for a period.")
            .Produces<RechargeStatementDto>(StatusCodes.Status200OK, "application/json", "text/csv").Produces(StatusCodes.Status304NotModified)
            .RequireAuthorization(Scopes.StatementsRead);
}
