namespace Apportionment.Api.Features.Reports;

/// <summary>
/// One month's flow of overheads: from a support service to a service it supports or to a council directly.
/// </summary>
public sealed record OverheadFlowDto(
    string Month,
    string From,
    string To,
    string ToKind,
    decimal Amount,
    string Method);

/// <summary>
/// The path of a service's pounds: direct + received − passed on = total, the cost its councils bear.
/// </summary>
public sealed record OverheadFlowsDto(
    string Service, string Period, decimal DirectCost, decimal Received, decimal PassedOn, decimal Total,
    IReadOnlyList<OverheadFlowDto> Flows)
    : ICsvExport
{
    /// <summary>
    /// One row per flow, then the path of the pounds: DIRECT, RECEIVED, PASSED ON (negative) and TOTAL.
    /// </summary>
    public CsvFile ToCsv()
    {
        var csv = new CsvFile(
            $"overhead-flows-{Service}-{Period}.csv",
            "service",
            "period",
            "month",
            "from",
            "to",
            "toKind",
            "method",
            "amount");
        foreach (var x in Flows)
        {
            csv.Row(Service, Period, x.Month, x.From, x.To, x.ToKind, x.Method, x.Amount);
        }

        return csv.Row(
            Service,
            Period,
            CsvCell.Empty,
            "DIRECT",
            CsvCell.Empty,
            CsvCell.Empty,
            CsvCell.Empty,
            DirectCost)
            .Row(Service, Period, CsvCell.Empty, "RECEIVED", CsvCell.Empty, CsvCell.Empty, CsvCell.Empty, Received)
            .Row(Service, Period, CsvCell.Empty, "PASSED ON", CsvCell.Empty, CsvCell.Empty, CsvCell.Empty, -PassedOn)
            .Row(Service, Period, CsvCell.Empty, "TOTAL", CsvCell.Empty, CsvCell.Empty, CsvCell.Empty, Total);
    }
}

/// <summary>Every overhead flow into or out of a service over a period, month by month.</summary>
public sealed record GetOverheadFlows(string Service, string Period) : IQuery<OverheadFlowsDto>;

public sealed class GetOverheadFlowsValidator : IValidator<GetOverheadFlows>
{
    public void Validate(GetOverheadFlows request, ValidationErrors errors)
        => errors.PeriodText("period", request.Period);
}

public sealed class GetOverheadFlowsHandler(
    [ReadDb] ApportionmentDb db,
    Caller caller,
    LedgerReader ledger) : IQueryHandler<GetOverheadFlows, OverheadFlowsDto>
{
    public async ValueTask<OverheadFlowsDto> Handle(GetOverheadFlows query, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(query.Service, caller, cancellationToken);
        var period = Period.Parse(query.Period);
        var read = await ledger.ReadWithFlowsAsync([service.Code], period, cancellationToken);
        var o = read.Services[0].Overheads;
        var flows = read.Flows
            .SelectMany(m => m.Flows.Where(f => f.From == service.Code || (f.To.IsService && f.To.Code == service.Code))
                .OrderBy(f => f.From, StringComparer.Ordinal).ThenBy(f => f.To, Recipient.Order)
                .Select(f => new OverheadFlowDto(
                    m.Month.ToString(),
                    f.From,
                    f.To.Code,
                    f.To.IsService ? "service" : "council",
                    f.Amount,
                    f.Method.ToString().ToLowerInvariant())))
            .ToList();
        return new OverheadFlowsDto(
            service.Code,
            period.ToString(),
            o.DirectCost,
            o.Received,
            o.PassedOn,
            o.Total,
            flows);
    }
}

public static class GetOverheadFlowsEndpoint
{
    public static void MapGetOverheadFlows(this RouteGroupBuilder reports) =>
        reports.MapGet("/shared-services/{code}/overhead-flows/{period}",
            async (string code, string period, HttpRequest request, IMediator mediator, CancellationToken ct) =>
                Csv.OkOrCsv(request, await mediator.Send(new GetOverheadFlows(code, period), ct)))
            .WithName(
                "GetOverheadFlows").WithSummary("Each overhead flow into or out of the service for a period: from "
                    + "support service to service or council, amount, method.")
            .Produces<OverheadFlowsDto>(StatusCodes.Status200OK, "application/json", "text/csv")
            .RequireAuthorization(Scopes.StatementsRead);
}
