using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Apportionment.Api.Features.Budgets;

/// <summary>
/// One service in a council's monitoring: the service's own figures and the council's shares of them.
/// </summary>
public sealed record CouncilBudgetLineDto(
    string Service, string ServiceName, decimal Budget, decimal? Target, decimal ActualToDate, decimal ForecastOutturn,
    decimal ForecastVariance, string Status,
    decimal BudgetShare, decimal ActualShare, decimal ForecastShare);

/// <summary>The council's shares across its services; forecastVariance = forecastShare − budgetShare.</summary>
public sealed record CouncilBudgetTotalsDto(
    decimal BudgetShare,
    decimal ActualShare,
    decimal ForecastShare,
    decimal ForecastVariance);

/// <summary>
/// unapportioned: months that kept a service out (it, or a support service feeding it, cannot be apportioned).
/// </summary>
public sealed record CouncilBudgetMonitoringDto(
    string Council, string FinancialYear, string? AsOf, IReadOnlyList<CouncilBudgetLineDto> Services,
    CouncilBudgetTotalsDto Totals, IReadOnlyList<UnapportionedDto> Unapportioned)
    : ICsvExport
{
    /// <summary>One row per service, then a TOTAL row of the council's shares.</summary>
    public CsvFile ToCsv()
    {
        var csv = new CsvFile(
            $"budget-monitoring-{Council}-{FinancialYear}.csv",
            "council",
            "financialYear",
            "asOf",
            "service",
            "serviceName",
            "budget",
            "target",
            "actualToDate",
            "forecastOutturn",
            "forecastVariance",
            "status",
            "budgetShare",
            "actualShare",
            "forecastShare");
        foreach (var l in Services)
        {
            csv.Row(
                Council,
                FinancialYear,
                AsOf,
                l.Service,
                l.ServiceName,
                l.Budget,
                l.Target,
                l.ActualToDate,
                l.ForecastOutturn,
                l.ForecastVariance,
                l.Status,
                l.BudgetShare,
                l.ActualShare,
                l.ForecastShare);
        }

        return csv.Row(
            Council,
            FinancialYear,
            AsOf,
            "TOTAL",
            CsvCell.Empty,
            CsvCell.Empty,
            CsvCell.Empty,
            CsvCell.Empty,
            CsvCell.Empty,
            Totals.ForecastVariance,
            CsvCell.Empty,
            Totals.BudgetShare,
            Totals.ActualShare,
            Totals.ForecastShare);
    }
}

/// <summary>
/// A council's budget monitoring across every shared service it belongs to that has a budget for the year.
/// </summary>
public sealed record GetCouncilBudgetMonitoring(
    string Council,
    string FinancialYear,
    string? AsOf) : IQuery<CouncilBudgetMonitoringDto>;

public sealed class GetCouncilBudgetMonitoringHandler(
    [ReadDb] ApportionmentDb db,
    Caller caller,
    BudgetMonitoringReader reader)
    : IQueryHandler<GetCouncilBudgetMonitoring, CouncilBudgetMonitoringDto>
{
    public async ValueTask<CouncilBudgetMonitoringDto> Handle(
        GetCouncilBudgetMonitoring query,
        CancellationToken cancellationToken)
    {
        caller.EnsureActsFor(query.Council, "read budget monitoring");
        var services = await db.ServicesOfCouncilAsync(query.Council, cancellationToken);
        var year = query.FinancialYear.ToFinancialYear();
        var asOf = BudgetMonitoringReader.AsOf(query.AsOf, year);
        var read = await reader.ReadAsync(services, year, asOf, cancellationToken, query.Council);
        var monitoring = read.Services;
        var lines = monitoring.Select(m =>
        {
            var f = m.Figures.Figures;
            var share = m.Figures.Councils.FirstOrDefault(c => c.Council == query.Council);
            return new CouncilBudgetLineDto(
                m.Service,
                m.Name,
                f.Budget,
                m.Target,
                f.ActualToDate,
                f.ForecastOutturn,
                f.ForecastVariance,
                BudgetMonitoringReader.StatusText(m.Figures.Status),
                share?.BudgetShare ?? 0.00m,
                share?.ActualShare
                    ?? 0.00m,
                share?.ForecastShare ?? 0.00m);
        }).ToList();
        var (budget, forecast) = (lines.Sum(l => l.BudgetShare), lines.Sum(l => l.ForecastShare));
        return new CouncilBudgetMonitoringDto(
            query.Council,
            year.ToString(),
            (asOf ?? (monitoring.Count > 0 ? monitoring[0].AsOf : null))?.ToString(),
            lines,
            new CouncilBudgetTotalsDto(budget, lines.Sum(l => l.ActualShare), forecast, forecast - budget),
            read
                .Unapportioned);
    }
}

public static class GetCouncilBudgetMonitoringEndpoint
{
    public static void MapGetCouncilBudgetMonitoring(this RouteGroupBuilder api) =>
        api.MapGet("/councils/{code}/budget-monitoring/{financialYear}",
            async (string code, string financialYear, string? asOf, HttpRequest request, HttpResponse response,
                IOptions<JsonOptions> json, IMediator mediator, CancellationToken ct) =>
            {
                var m = await mediator.Send(new GetCouncilBudgetMonitoring(code, financialYear, asOf), ct);
                return CsvOrJson.Respond(request, response, json.Value.SerializerOptions, m);
            })
            .WithName("GetCouncilBudgetMonitoring").WithSummary(
                "A council's budget monitoring across its shared services, with totals of its shares.")
            .Produces<CouncilBudgetMonitoringDto>(StatusCodes
                .Status200OK, "application/json", "text/csv").Produces(StatusCodes.Status304NotModified)
            .RequireAuthorization(Scopes.StatementsRead);
}
