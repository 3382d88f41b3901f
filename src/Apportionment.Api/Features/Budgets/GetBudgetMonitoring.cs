using Apportionment.Api.Features.Reports;
using Apportionment.Api.Features.Shared;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Pipeline;
using Apportionment.Api.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Apportionment.Api.Features.Budgets;

public sealed record CouncilBudgetDto(string Council, decimal BudgetShare, decimal ActualShare, decimal ForecastShare);

/// <summary>
/// A service's budget monitoring as of a month: varianceToDate = actualToDate − profiledBudgetToDate; forecastOutturn =
/// actualToDate + the profiled budget of the remaining months; forecastVariance = forecastOutturn − budget.
/// </summary>
public sealed record BudgetMonitoringDto(
    string Service, string ServiceName, string FinancialYear, string? AsOf, decimal Budget, decimal? Target, decimal? BudgetAgainstTarget,
    decimal ProfiledBudgetToDate, decimal ActualToDate, decimal VarianceToDate, decimal ForecastOutturn, decimal ForecastVariance, string Status,
    IReadOnlyList<CouncilBudgetDto> Councils)
{
    public static BudgetMonitoringDto From(ServiceMonitoring m)
    {
        var f = m.Figures.Figures;
        return new BudgetMonitoringDto(m.Service, m.Name, m.Year.ToString(), m.AsOf?.ToString(), f.Budget, m.Target, f.Budget - m.Target,
            f.ProfiledBudgetToDate, f.ActualToDate, f.VarianceToDate, f.ForecastOutturn, f.ForecastVariance, BudgetMonitoringReader.StatusText(m.Figures.Status),
            m.Figures.Councils.Select(c => new CouncilBudgetDto(c.Council, c.BudgetShare, c.ActualShare, c.ForecastShare)).ToList());
    }
}

public sealed record GetBudgetMonitoring(string Service, string FinancialYear, string? AsOf) : IQuery<BudgetMonitoringDto>;

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

public sealed class GetBudgetMonitoringHandler(ApportionmentDb db, Caller caller, BudgetMonitoringReader reader) : IQueryHandler<GetBudgetMonitoring, BudgetMonitoringDto>
{
    public async ValueTask<BudgetMonitoringDto> Handle(GetBudgetMonitoring query, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(query.Service, caller, cancellationToken);
        var year = query.FinancialYear.ToFinancialYear();
        var monitoring = await reader.ReadAsync([service.Code], year, BudgetMonitoringReader.AsOf(query.AsOf, year), cancellationToken);
        return monitoring.Count == 0
            ? throw new NotFoundException("Budget", $"{service.Code}/{year}")
            : BudgetMonitoringDto.From(monitoring[0]);
    }
}

public static class GetBudgetMonitoringEndpoint
{
    public static void MapGetBudgetMonitoring(this RouteGroupBuilder services) =>
        services.MapGet("/budget-monitoring/{financialYear}", async (string code, string financialYear, string? asOf, HttpRequest request, HttpResponse response,
                IOptions<JsonOptions> json, IMediator mediator, CancellationToken ct) =>
            {
                var m = await mediator.Send(new GetBudgetMonitoring(code, financialYear, asOf), ct);
                var rows = new List<IReadOnlyList<string?>>
                {
                    new[] { "service", "financialYear", "asOf", "council", "budget", "target", "profiledBudgetToDate", "actualToDate", "varianceToDate", "forecastOutturn", "forecastVariance", "status" },
                };
                rows.AddRange(m.Councils.Select(c => new[] { m.Service, m.FinancialYear, m.AsOf, c.Council, Csv.Money(c.BudgetShare), null, null, Csv.Money(c.ActualShare), null, Csv.Money(c.ForecastShare), null, null }));
                rows.Add([m.Service, m.FinancialYear, m.AsOf, "TOTAL", Csv.Money(m.Budget), m.Target is { } t ? Csv.Money(t) : null, Csv.Money(m.ProfiledBudgetToDate),
                    Csv.Money(m.ActualToDate), Csv.Money(m.VarianceToDate), Csv.Money(m.ForecastOutturn), Csv.Money(m.ForecastVariance), m.Status]);
                return CsvOrJson.Respond(request, response, json.Value.SerializerOptions, m, $"budget-monitoring-{m.Service}-{m.FinancialYear}.csv", rows);
            })
            .WithName("GetBudgetMonitoring").WithSummary("Budget, spend to date, forecast outturn and variance for a service's year, with each council's share.")
            .Produces<BudgetMonitoringDto>(StatusCodes.Status200OK, "application/json", "text/csv").Produces(StatusCodes.Status304NotModified)
            .RequireAuthorization(Scopes.StatementsRead);
}
