using Apportionment.Api.Features.Shared;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Security;
using Apportionment.Domain;
using Mediator;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Apportionment.Api.Features.Reports;

/// <summary>share = direct + overheads: the council's part of the service's own cost and of the overheads it bears.</summary>
public sealed record StatementLineDto(
    string Service, string ServiceName, string HostCouncil, decimal NetCost, decimal SharePercent, decimal Share, decimal PaidDirectly, decimal Balance,
    decimal Direct, decimal Overheads);

public sealed record StatementTotalsDto(decimal Share, decimal PaidDirectly, decimal Balance);

/// <summary>balance = share − paidDirectly: above zero the council owes the host, below zero the host owes it.</summary>
public sealed record RechargeStatementDto(string Council, string Period, DateTimeOffset GeneratedAt, IReadOnlyList<StatementLineDto> Lines, StatementTotalsDto Totals);

/// <summary>What one council owes or is owed across every shared service it belongs to, for a month, quarter or year.</summary>
public sealed record GetRechargeStatement(string Council, string Period) : IQuery<RechargeStatementDto>;

public sealed class GetRechargeStatementHandler(ApportionmentDb db, Caller caller, LedgerReader ledger, TimeProvider clock)
    : IQueryHandler<GetRechargeStatement, RechargeStatementDto>
{
    public async ValueTask<RechargeStatementDto> Handle(GetRechargeStatement query, CancellationToken cancellationToken)
    {
        caller.EnsureActsFor(query.Council, "read statements");
        var services = await db.ServicesOfCouncilAsync(query.Council, cancellationToken);
        var ledgers = await ledger.ReadAsync(services, Period.Parse(query.Period), cancellationToken);
        var lines = ledgers
            .Where(l => l.Apportionment.Months.Any(m => m.NetCost != 0) || l.Overheads.DirectCost != 0 || l.Paid.Values.Any(v => v != 0))
            .Select(l =>
            {
                var share = l.Apportionment.ShareOf(query.Council);
                var paid = l.PaidBy(query.Council);
                return new StatementLineDto(l.Service, l.Name, l.HostCouncil, l.Apportionment.NetCost, l.Apportionment.SharePercentOf(query.Council), share, paid, share - paid,
                    l.Overheads.DirectShareOf(query.Council), l.Overheads.OverheadsShareOf(query.Council));
            })
            .ToList();
        var period = Period.Parse(query.Period);
        return new RechargeStatementDto(query.Council, period.ToString(), await GeneratedAtAsync(ledgers, period, cancellationToken) ?? clock.GetUtcNow(), lines,
            new StatementTotalsDto(lines.Sum(l => l.Share), lines.Sum(l => l.PaidDirectly), lines.Sum(l => l.Balance)));
    }

    /// <summary>
    /// A statement of closed months is an issued document: fetched again it must be the same, byte for byte, so it is
    /// dated by the latest close of its months rather than by the request. That holds when every month of the period
    /// that any of the council's services runs in is closed; otherwise the figures may still move and it is dated now.
    /// </summary>
    private async Task<DateTimeOffset?> GeneratedAtAsync(IReadOnlyList<ServiceLedger> runs, Period period, CancellationToken ct)
    {
        var (first, last) = (period.First.FirstDay, period.Last.FirstDay);
        var services = runs.Select(r => r.Service).ToList();
        var closed = await db.ClosedMonths.AsNoTracking()
            .Where(c => services.Contains(c.ServiceCode) && c.Month >= first && c.Month <= last)
            .Select(c => new { c.ServiceCode, c.Month, c.ClosedAt }).ToListAsync(ct);
        var required = runs.SelectMany(r => period.Months.Select(m => m.FirstDay)
            .Where(m => m >= r.StartMonth && (r.EndMonth is not { } end || m <= end)).Select(m => (Code: r.Service, m))).ToList();
        if (required.Count == 0 || required.Any(x => !closed.Any(c => c.ServiceCode == x.Code && c.Month == x.m)))
        {
            return null;
        }

        return closed.Where(c => required.Contains((c.ServiceCode, c.Month))).Max(c => c.ClosedAt);
    }
}

public static class GetRechargeStatementEndpoint
{
    public static void MapGetRechargeStatement(this RouteGroupBuilder reports) =>
        reports.MapGet("/councils/{code}/recharge-statements/{period}", async (string code, string period, HttpRequest request, HttpResponse response,
                IOptions<JsonOptions> json, IMediator mediator, CancellationToken ct) =>
            {
                var s = await mediator.Send(new GetRechargeStatement(code, period), ct);
                // The ETag covers the figures, not generatedAt, so an unchanged statement answers 304.
                var csv = Csv.Wanted(request);
                var etag = ETags.Of(new { s.Council, s.Period, s.Lines, s.Totals, csv }, json.Value.SerializerOptions);
                response.Headers.Vary = "Accept";
                if (ETags.NotModified(request, etag))
                {
                    return Results.StatusCode(StatusCodes.Status304NotModified);
                }

                response.Headers.ETag = etag;
                if (!csv)
                {
                    return Results.Ok(s);
                }

                var rows = new List<IReadOnlyList<string?>> { new[] { "council", "period", "service", "serviceName", "hostCouncil", "netCost", "sharePercent", "share", "paidDirectly", "balance", "direct", "overheads" } };
                rows.AddRange(s.Lines.Select(l => new[]
                {
                    s.Council, s.Period, l.Service, l.ServiceName, l.HostCouncil, Csv.Money(l.NetCost), Csv.Number(l.SharePercent), Csv.Money(l.Share), Csv.Money(l.PaidDirectly), Csv.Money(l.Balance), Csv.Money(l.Direct), Csv.Money(l.Overheads),
                }));
                rows.Add([s.Council, s.Period, "TOTAL", null, null, null, null, Csv.Money(s.Totals.Share), Csv.Money(s.Totals.PaidDirectly), Csv.Money(s.Totals.Balance),
                    Csv.Money(s.Lines.Sum(l => l.Direct)), Csv.Money(s.Lines.Sum(l => l.Overheads))]);
                return Csv.File($"recharge-statement-{s.Council}-{s.Period}.csv", rows);
            })
            .WithName("GetRechargeStatement").WithSummary("A council's recharge statement across its shared services for a period.")
            .Produces<RechargeStatementDto>(StatusCodes.Status200OK, "application/json", "text/csv").Produces(StatusCodes.Status304NotModified)
            .RequireAuthorization(Scopes.StatementsRead);
}
