using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Apportionment.Api.Features.Budgets;

public sealed record CouncilBudgetDto(string Council, decimal BudgetShare, decimal ActualShare, decimal ForecastShare);

/// <summary>
/// A service's budget monitoring as of a month: varianceToDate = actualToDate − profiledBudgetToDate; forecastOutturn =
/// actualToDate + the profiled budget of the remaining months; forecastVariance = forecastOutturn − budget.
/// </summary>
public sealed record BudgetMonitoringDto(
    string Service, string ServiceName, string FinancialYear, string? AsOf, decimal Budget, decimal? Target,
    decimal? BudgetAgainstTarget,
    decimal ProfiledBudgetToDate, decimal ActualToDate, decimal VarianceToDate, decimal ForecastOutturn,
    decimal ForecastVariance, string Status,
    IReadOnlyList<CouncilBudgetDto> Councils)
    : ICsvExport
{
    /// <summary>One row per council (its budget, actual and forecast shares), then the service's TOTAL row.</summary>
    public CsvFile ToCsv()
    {
        var csv = new CsvFile(
            $"budget-monitoring-{Service}-{FinancialYear}.csv",
            "service",
            "financialYear",
            "asOf",
            "council",
            "budget",
            "target",
            "profiledBudgetToDate",
            "actualToDate",
            "varianceToDate",
            "forecastOutturn",
            "forecastVariance",
            "status");
        foreach (var c in Councils)
        {
            csv.Row(
                Service,
                FinancialYear,
                AsOf,
                c.Council,
                c.BudgetShare,
                CsvCell.Empty,
                CsvCell.Empty,
                c.ActualShare,
                CsvCell.Empty,
                c.ForecastShare);
        }

        return csv.Row(
            Service,
            FinancialYear,
            AsOf,
            "TOTAL",
            Budget,
            Target,
            ProfiledBudgetToDate,
            ActualToDate,
            VarianceToDate,
            ForecastOutturn,
            ForecastVariance,
            Status);
    }

    public static BudgetMonitoringDto From(ServiceMonitoring m)
    {
        var f = m.Figures.Figures;
        return new BudgetMonitoringDto(m.Service, m.Name, m.Year.ToString(), m.AsOf?.ToString(), f.Budget, m.Target, f
            .Budget - m.Target,
            f.ProfiledBudgetToDate, f.ActualToDate, f.VarianceToDate, f.ForecastOutturn, f
                .ForecastVariance, BudgetMonitoringReader.StatusText(m.Figures.Status),
            m.Figures.Councils
                .Select(c => new CouncilBudgetDto(c.Council, c.BudgetShare, c.ActualShare, c.ForecastShare))
                .ToList());
    }
}

public sealed record GetBudgetMonitoring(
    string Service,
    string FinancialYear,
    string? AsOf) : IQuery<BudgetMonitoringDto>;

public sealed class BudgetMonitoringValidator : IValidator<GetBudgetMonitoring>, IValidator<GetCouncilBudgetMonitoring>
{
    public void Validate(GetBudgetMonitoring request, ValidationErrors errors)
    {
        errors.FinancialYearText("financialYear", request.FinancialYear);
        errors.MonthText("asOf", request.AsOf, required: false);
    }

    public void Validate(GetCouncilBudgetMonitoring request, ValidationErrors errors)
    {
        errors.FinancialYearText("financialYear", request.FinancialYear);
        errors.MonthText("asOf", request.AsOf, required: false);
    }
}

public sealed class GetBudgetMonitoringHandler(
    [ReadDb] ApportionmentDb db,
    Caller caller,
    BudgetMonitoringReader reader) : IQueryHandler<GetBudgetMonitoring, BudgetMonitoringDto>
{
    public async ValueTask<BudgetMonitoringDto> Handle(GetBudgetMonitoring query, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(query.Service, caller, cancellationToken);
        var year = query.FinancialYear.ToFinancialYear();
        var monitoring = (await reader.ReadAsync(
            [service.Code],
            year,
            BudgetMonitoringReader.AsOf(query.AsOf, year),
            cancellationToken)).Services;
        return monitoring.Count == 0
            ? throw new NotFoundException("Budget", $"{service.Code}/{year}")
            : BudgetMonitoringDto.From(monitoring[0]);
    }
}

public static class GetBudgetMonitoringEndpoint
{
    public static void MapGetBudgetMonitoring(this RouteGroupBuilder services) =>
        services.MapGet("/budget-monitoring/{financialYear}",
            async (string code, string financialYear, string? asOf, HttpRequest request, HttpResponse response,
                IOptions<JsonOptions> json, IMediator mediator, CancellationToken ct) =>
            {
                var m = await mediator.Send(new GetBudgetMonitoring(code, financialYear, asOf), ct);
                return CsvOrJson.Respond(request, response, json.Value.SerializerOptions, m);
            })
            .WithName("GetBudgetMonitoring").WithSummary(
                "Budget, spend to date, forecast outturn and variance for a service's year, with each council's share.")
            .Produces<BudgetMonitoringDto>(StatusCodes
                .Status200OK, "application/json", "text/csv").Produces(StatusCodes.Status304NotModified)
            .RequireAuthorization(Scopes.StatementsRead);
}
