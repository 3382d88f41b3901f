namespace Apportionment.Api.Features.Reports;

/// <summary>monthsCounted: the months baseline and share cover, those that have ended and hold costs.</summary>
public sealed record CumulativeSavingsDto(
    string Service, string From, string To, IReadOnlyList<CouncilSavingDto> Councils, SavingsTotalsDto Totals,
    int CouncilsWithoutBaseline, IReadOnlyList<string> MonthsCounted);

/// <summary>
/// What the partnership has saved each council since it started, through the end of financial year `to` (default: the
/// current one).
/// </summary>
public sealed record GetCumulativeSavings(string Service, string? To) : IQuery<CumulativeSavingsDto>;

public sealed class GetCumulativeSavingsValidator : IValidator<GetCumulativeSavings>
{
    public void Validate(GetCumulativeSavings request, ValidationErrors errors)
    {
        if (request.To is not null
            && (!Period.TryParse(request.To, out var to, out _) || to!.Kind != PeriodKind.FinancialYear))
        {
            errors.Add("to", "Must be a financial year like 2025-26.");
        }
    }
}

public sealed class GetCumulativeSavingsHandler(
    [ReadDb] ApportionmentDb db,
    Caller caller,
    SavingsReader reader,
    TimeProvider clock)
    : IQueryHandler<GetCumulativeSavings, CumulativeSavingsDto>
{
    private const int MaxYears = 30;

    public async ValueTask<CumulativeSavingsDto> Handle(GetCumulativeSavings query, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(query.Service, caller, cancellationToken);
        var start = Month.FromDate(service.StartMonth);
        var lastYear = query.To is null
            ? Month.FromDate(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)).FinancialYearStart
            : Period.Parse(query.To).FinancialYearStart;
        if (lastYear < start.FinancialYearStart || lastYear - start.FinancialYearStart >= MaxYears)
        {
            throw RequestValidationException.For("to", "Must be a financial year from "
                + $"{Period.FinancialYear(start.FinancialYearStart)} to {MaxYears} years after it.");
        }

        var savings = await reader.SinceStartAsync(service, lastYear, cancellationToken);
        return new CumulativeSavingsDto(service.Code, savings.From.ToString(), savings.To.ToString(),
            savings.Councils.Select(CouncilSavingDto.From).ToList(), new SavingsTotalsDto(
                savings.Baseline,
                savings.Share,
                savings.Saving), savings.CouncilsWithoutBaseline,
            savings.MonthsCounted.Select(m => m.ToString()).ToList());
    }
}

public static class GetCumulativeSavingsEndpoint
{
    public static void MapGetCumulativeSavings(this RouteGroupBuilder reports) =>
        reports.MapGet("/shared-services/{code}/savings",
            async (string code, string? to, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetCumulativeSavings(code, to), ct)))
            .WithName("GetCumulativeSavings").WithSummary(
                "Savings since the partnership started, through the end of a financial year.")
            .RequireAuthorization(Scopes.StatementsRead);
}
