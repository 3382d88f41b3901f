using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Apportionment.Api.Features.Reports;

/// <summary>
/// share = direct + overheads: the council's part of the service's own cost and of the overheads it bears.
/// </summary>
public sealed record StatementLineDto(
    string Service, string ServiceName, string HostCouncil, decimal NetCost, decimal SharePercent, decimal Share,
    decimal PaidDirectly, decimal Balance,
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
    string Council, string Period, DateTimeOffset GeneratedAt, IReadOnlyList<StatementLineDto> Lines,
    StatementTotalsDto Totals, IReadOnlyList<UnapportionedDto> Unapportioned)
    : ICsvExport
{
    /// <summary>One row per service, a TOTAL row, then a NOTE row naming what was left out, if anything was.</summary>
    public CsvFile ToCsv()
    {
        var csv = new CsvFile($"recharge-statement-{Council}-{Period}.csv",
            "council", "period", "service", "serviceName", "hostCouncil", "netCost", "sharePercent", "share",
            "paidDirectly", "balance", "direct", "overheads");
        foreach (var l in Lines)
        {
            csv.Row(
                Council,
                Period,
                l.Service,
                l.ServiceName,
                l.HostCouncil,
                l.NetCost,
                CsvCell.Number(l.SharePercent),
                l.Share,
                l.PaidDirectly,
                l.Balance,
                l.Direct,
                l.Overheads);
        }

        csv.Row(
            Council,
            Period,
            "TOTAL",
            CsvCell.Empty,
            CsvCell.Empty,
            CsvCell.Empty,
            CsvCell.Empty,
            Totals.Share,
            Totals.PaidDirectly,
            Totals.Balance,
            Lines.Sum(l => l.Direct),
            Lines.Sum(l => l.Overheads));
        return Unapportioned.Count == 0 ? csv : csv.Row(Council, Period, "NOTE", Unapportioned.Note());
    }
}

/// <summary>
/// What one council owes or is owed across every shared service it belongs to, for a month, quarter or year.
/// </summary>
public sealed record GetRechargeStatement(string Council, string Period) : IQuery<RechargeStatementDto>;

public sealed class GetRechargeStatementHandler(Caller caller, CouncilStatements statements, TimeProvider clock)
    : IQueryHandler<GetRechargeStatement, RechargeStatementDto>
{
    public async ValueTask<RechargeStatementDto> Handle(GetRechargeStatement query, CancellationToken cancellationToken)
    {
        caller.EnsureActsFor(query.Council, "read statements");
        var statement = await statements.ReadAsync(query.Council, Period.Parse(query.Period), cancellationToken);
        var lines = statement.Lines.Select(l =>
        {
            var billed = statement.Invoiced.GetValueOrDefault(l.Service) ?? new InvoicedFigures(0m, 0m, 0m);
            return new StatementLineDto(
                l.Service, l.ServiceName, l.HostCouncil, l.NetCost, l.SharePercent, l.Share, l.PaidDirectly, l
                    .Balance, l.Direct, l.Overheads)
            {
                InvoicedOnAccount = billed.InvoicedOnAccount, Paid = billed.Paid, Outstanding = billed.Outstanding,
            };
        }).ToList();
        return new RechargeStatementDto(query.Council, statement.Period.ToString(), statement.IssuedAt
            ?? clock.GetUtcNow(), lines,
            new StatementTotalsDto(lines.Sum(l => l.Share), lines.Sum(l => l.PaidDirectly), lines.Sum(l => l.Balance))
            {
                InvoicedOnAccount = lines.Sum(l => l.InvoicedOnAccount), Paid = lines.Sum(
                    l => l.Paid), Outstanding = lines.Sum(l => l.Outstanding),
            }, statement.Unapportioned);
    }
}

public static class GetRechargeStatementEndpoint
{
    public static void MapGetRechargeStatement(this RouteGroupBuilder reports) =>
        reports.MapGet("/councils/{code}/recharge-statements/{period}",
            async (string code, string period, HttpRequest request, HttpResponse response,
                IOptions<JsonOptions> json, IMediator mediator, CancellationToken ct) =>
                // The ETag covers the figures, not generatedAt, so an unchanged statement answers 304.
                CsvOrJson.Respond(
                    request,
                    response,
                    json.Value.SerializerOptions,
                    await mediator.Send(new GetRechargeStatement(code, period), ct),
                    perRequest: nameof(RechargeStatementDto.GeneratedAt)))
            .WithName("GetRechargeStatement").WithSummary(
                "A council's recharge statement across its shared services for a period.")
            .Produces<RechargeStatementDto>(StatusCodes
                .Status200OK, "application/json", "text/csv").Produces(StatusCodes.Status304NotModified)
            .RequireAuthorization(Scopes.StatementsRead);
}
