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
        var period = Period.Parse(query.Period);
        var services = await db.ServicesOfCouncilAsync(query.Council, cancellationToken);
        var ledgers = await ledger.ReadAsync(services, period, cancellationToken);
        var issued = await IssuedAsync(ledgers, period, cancellationToken);
        var lines = ledgers
            .Where(l => l.Apportionment.Months.Any(m => m.NetCost != 0) || l.Paid.Values.Any(v => v != 0))
            .Select(l =>
            {
                var share = l.Apportionment.ShareOf(query.Council);
                var paid = l.PaidBy(query.Council);
                return new StatementLineDto(l.Service, issued.Names.GetValueOrDefault(l.Service, l.Name), l.HostCouncil, l.Apportionment.NetCost,
                    l.Apportionment.SharePercentOf(query.Council), share, paid, share - paid);
            })
            .ToList();
        return new RechargeStatementDto(query.Council, period.ToString(), issued.At ?? clock.GetUtcNow(), lines,
            new StatementTotalsDto(lines.Sum(l => l.Share), lines.Sum(l => l.PaidDirectly), lines.Sum(l => l.Balance)));
    }

    /// <summary>
    /// A statement of closed months is an issued document: fetched again it must be the same, byte for byte. So a
    /// service whose months of the period (those it runs in) are all closed is named as it was when the last of them
    /// closed, not as it is called now; and the statement is dated by the latest close of its months rather than by the
    /// request when that holds for every service of the council. Otherwise its figures may still move and it is dated now.
    /// </summary>
    private async Task<(DateTimeOffset? At, Dictionary<string, string> Names)> IssuedAsync(IReadOnlyList<ServiceLedger> runs, Period period, CancellationToken ct)
    {
        var (first, last) = (period.First.FirstDay, period.Last.FirstDay);
        var services = runs.Select(r => r.Service).ToList();
        var closed = (await db.ClosedMonths.AsNoTracking()
            .Where(c => services.Contains(c.ServiceCode) && c.Month >= first && c.Month <= last)
            .Select(c => new { c.ServiceCode, c.Month, c.ClosedAt, c.ServiceName }).ToListAsync(ct))
            .ToDictionary(c => (c.ServiceCode, c.Month));
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

                var rows = new List<IReadOnlyList<string?>> { new[] { "council", "period", "service", "serviceName", "hostCouncil", "netCost", "sharePercent", "share", "paidDirectly", "balance" } };
                rows.AddRange(s.Lines.Select(l => new[]
                {
                    s.Council, s.Period, l.Service, l.ServiceName, l.HostCouncil, Csv.Money(l.NetCost), Csv.Number(l.SharePercent), Csv.Money(l.Share), Csv.Money(l.PaidDirectly), Csv.Money(l.Balance),
                }));
                rows.Add([s.Council, s.Period, "TOTAL", null, null, null, null, Csv.Money(s.Totals.Share), Csv.Money(s.Totals.PaidDirectly), Csv.Money(s.Totals.Balance)]);
                return Csv.File($"recharge-statement-{s.Council}-{s.Period}.csv", rows);
            })
            .WithName("GetRechargeStatement").WithSummary("A council's recharge statement across its shared services for a period.")
            .Produces<RechargeStatementDto>(StatusCodes.Status200OK, "application/json", "text/csv").Produces(StatusCodes.Status304NotModified)
            .RequireAuthorization(Scopes.StatementsRead);
}
