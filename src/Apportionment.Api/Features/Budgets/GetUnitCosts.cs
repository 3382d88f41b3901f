using System.Text.Json.Serialization;

namespace Apportionment.Api.Features.Budgets;

/// <summary>
/// netCost per unit of activity. costPerUnit and units are written even when null: a month without activity figures has
/// no unit cost, and reason says why, rather than a zero that reads as free.
/// </summary>
public sealed record UnitCostDto(
    decimal? NetCost,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? Units,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? CostPerUnit,
    string? Reason)
{
    public static UnitCostDto From(UnitCost c) => new(c.NetCost, c.Units, c.CostPerUnit, c.Reason);
}

public sealed record CouncilUnitCostDto(string Council, UnitCostDto Cost);

public sealed record UnitCostMonthDto(string Month, UnitCostDto Service, IReadOnlyList<CouncilUnitCostDto> Councils);

/// <summary>
/// A service's cost per unit of its driver, month by month and for the period, for the service and each council's
/// share.
/// </summary>
public sealed record UnitCostsDto(
    string Service,
    string Period,
    string Driver,
    IReadOnlyList<UnitCostMonthDto> Months,
    UnitCostDto Total,
    IReadOnlyList<CouncilUnitCostDto> Councils);

public sealed record GetUnitCosts(string Service, string Period, string? Driver) : IQuery<UnitCostsDto>;

public sealed class GetUnitCostsValidator : IValidator<GetUnitCosts>
{
    public void Validate(GetUnitCosts request, ValidationErrors errors)
    {
        errors.PeriodText("period", request.Period);
        errors.Text("driver", request.Driver, 64, required: false);
        if (request.Driver is not null && string.IsNullOrWhiteSpace(request.Driver))
        {
            errors.Add("driver", "Must name a driver, or be left out to use the service's own.");
        }
    }
}

public sealed class GetUnitCostsHandler(
    [ReadDb] ApportionmentDb db,
    Caller caller,
    LedgerReader ledger) : IQueryHandler<GetUnitCosts, UnitCostsDto>
{
    public async ValueTask<UnitCostsDto> Handle(GetUnitCosts query, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(query.Service, caller, cancellationToken);
        var period = Period.Parse(query.Period);
        var months = (await ledger.ReadMonthsAsync([service.Code], period, cancellationToken))[0].Months;
        var (first, last) = (period.First.FirstDay, period.Last.FirstDay);
        var returns = await db.ActivityReturns.AsNoTracking()
            .Where(a => a.ServiceCode == service.Code && a.Month >= first && a.Month <= last)
            .GroupBy(a => new { a.Driver, a.Month })
            .Select(g => g.OrderByDescending(a => a.Id).First())
            .ToListAsync(cancellationToken);
        var driver = query.Driver?.Trim() ?? DriverOf(service.Code, months, returns);
        if (query.Driver is not null && !returns.Any(r => r.Driver == driver)
            && !months.Any(m => m.Agreement?.Rule.Driver == driver)
            && !await db.ActivityReturns
                .AnyAsync(a => a.ServiceCode == service.Code && a.Driver == driver, cancellationToken))
        {
            throw new NotFoundException("Activity driver of shared service", $"{service.Code}/{driver}");
        }

        var report = UnitCosts.For(service.Code, period, driver, months
            .Select(m => new UnitCostInput(
                m,
                returns.FirstOrDefault(r => r.Driver == driver && r.Month == m.Month.FirstDay)?.Quantities))
            .ToList());
        return new UnitCostsDto(service.Code, period.ToString(), driver,
            report.Months.Select(
                m => new UnitCostMonthDto(m.Month.ToString(), UnitCostDto.From(m.Service), Councils(m.Councils)))
                .ToList(),
            UnitCostDto.From(report.Service), Councils(report.Councils));
    }

    private static List<CouncilUnitCostDto> Councils(IReadOnlyList<CouncilUnitCost> councils) =>
        councils.Select(c => new CouncilUnitCostDto(c.Council, UnitCostDto.From(c.Cost))).ToList();

    /// <summary>
    /// The driver of the latest driver split in the period, else the one driver the service returns figures for.
    /// </summary>
    private static string DriverOf(
        string service,
        IReadOnlyList<ServiceMonthInput> months,
        List<ActivityReturn> returns)
    {
        if (months.LastOrDefault(m => m.Agreement?.Rule.Driver is not null)?.Agreement!.Rule.Driver is { } driver)
        {
            return driver;
        }

        var drivers = returns.Select(r => r.Driver).Distinct().ToList();
        return drivers.Count switch
        {
            1 => drivers[0],
            0 => throw new NotFoundException("Activity driver of shared service", service),
            _ => throw RequestValidationException.For("driver", $"'{service}' has figures for several drivers "
                + $"({string.Join(", ", drivers.Order(StringComparer.Ordinal))}); name one."),
        };
    }
}

public static class GetUnitCostsEndpoint
{
    public static void MapGetUnitCosts(this RouteGroupBuilder services) =>
        services.MapGet("/unit-costs/{period}",
            async (string code, string period, HttpRequest request, IMediator mediator, CancellationToken ct) =>
            {
                // Read by hand so a repeated driver is a 400 naming it rather than a binding failure.
                var drivers = request.Query["driver"];
                if (drivers.Count > 1)
                {
                    throw RequestValidationException.For("driver", "Give one driver.");
                }

                return TypedResults.Ok(
                    await mediator.Send(new GetUnitCosts(code, period, drivers.Count == 1 ? drivers[0] : null), ct));
            })
            .WithName(
                "GetUnitCosts").WithSummary("Net cost per unit of activity (e.g. per surveyor hour), for the service "
                    + "and each council, month by month and for the period.")
            .RequireAuthorization(Scopes.StatementsRead);
}
