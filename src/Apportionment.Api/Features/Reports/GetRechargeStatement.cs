using Apportionment.Api.Features.Shared;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Security;
using Apportionment.Domain;
using Mediator;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Apportionment.Api.Features.Reports;

public sealed record StatementLineDto(
    string Service, string ServiceName, string HostCouncil, decimal NetCost, decimal SharePercent, decimal Share, decimal PaidDirectly, decimal Balance);

public sealed record StatementTotalsDto(decimal Share, decimal PaidDirectly, decimal Balance);

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
            "council", "period", "service", "serviceName", "hostCouncil", "netCost", "sharePercent", "share", "paidDirectly", "balance");
        foreach (var l in Lines)
        {
            csv.Row(Council, Period, l.Service, l.ServiceName, l.HostCouncil, l.NetCost, CsvCell.Number(l.SharePercent), l.Share, l.PaidDirectly, l.Balance);
        }

        csv.Row(Council, Period, "TOTAL", CsvCell.Empty, CsvCell.Empty, CsvCell.Empty, CsvCell.Empty, Totals.Share, Totals.PaidDirectly, Totals.Balance);
        return Unapportioned.Count == 0 ? csv : csv.Row(Council, Period, "NOTE", Unapportioned.Note());
    }
}

/// <summary>What one council owes or is owed across every shared service it belongs to, for a month, quarter or year.</summary>
public sealed record GetRechargeStatement(string Council, string Period) : IQuery<RechargeStatementDto>;

public sealed class GetRechargeStatementHandler(ApportionmentDb db, Caller caller, LedgerReader ledger, TimeProvider clock)
    : IQueryHandler<GetRechargeStatement, RechargeStatementDto>
{
    public async ValueTask<RechargeStatementDto> Handle(GetRechargeStatement query, CancellationToken cancellationToken)
    {
        caller.EnsureActsFor(query.Council, "read statements");
        var services = await db.ServicesOfCouncilAsync(query.Council, cancellationToken);
        var (ledgers, unapportioned) = await ledger.ReadApportionableAsync(services, Period.Parse(query.Period), cancellationToken);
        var lines = ledgers
            .Where(l => l.Apportionment.Months.Any(m => m.NetCost != 0) || l.Paid.Values.Any(v => v != 0))
            .Select(l =>
            {
                var share = l.Apportionment.ShareOf(query.Council);
                var paid = l.PaidBy(query.Council);
                return new StatementLineDto(l.Service, l.Name, l.HostCouncil, l.Apportionment.NetCost, l.Apportionment.SharePercentOf(query.Council), share, paid, share - paid);
            })
            .ToList();
        var period = Period.Parse(query.Period);
        // A statement with services left out is not final, whatever months are closed.
        var generatedAt = unapportioned.Count == 0 ? await GeneratedAtAsync(ledgers, period, cancellationToken) : null;
        return new RechargeStatementDto(query.Council, period.ToString(), generatedAt ?? clock.GetUtcNow(), lines,
            new StatementTotalsDto(lines.Sum(l => l.Share), lines.Sum(l => l.PaidDirectly), lines.Sum(l => l.Balance)), unapportioned);
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
                var etag = ETags.Of(new { s.Council, s.Period, s.Lines, s.Totals, s.Unapportioned, csv }, json.Value.SerializerOptions);
                response.Headers.Vary = "Accept";
                if (ETags.NotModified(request, etag))
                {
                    return Results.StatusCode(StatusCodes.Status304NotModified);
                }

                response.Headers.ETag = etag;
                return csv ? s.ToCsv().ToResult() : Results.Ok(s);
            })
            .WithName("GetRechargeStatement").WithSummary("A council's recharge statement across its shared services for a period.")
            .Produces<RechargeStatementDto>(StatusCodes.Status200OK, "application/json", "text/csv").Produces(StatusCodes.Status304NotModified)
            .RequireAuthorization(Scopes.StatementsRead);
}
