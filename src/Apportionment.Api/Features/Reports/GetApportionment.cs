namespace Apportionment.Api.Features.Reports;

/// <summary>
/// How a service's net cost for a period splits between its councils, month by month under the agreement in force.
/// </summary>
public sealed record GetApportionment(string Service, string Period) : IQuery<ApportionmentDto>;

public sealed class PeriodQueryValidator :
    IValidator<GetApportionment>,
    IValidator<GetSettlement>,
    IValidator<GetServiceSavings>,
    IValidator<GetRechargeStatement>,
    IValidator<GetCouncilSavings>
{
    public void Validate(GetApportionment request, ValidationErrors errors)
        => errors.PeriodText("period", request.Period);
    public void Validate(GetSettlement request, ValidationErrors errors)
    {
        errors.PeriodText("period", request.Period);
        if (request.Model is not null && request.Model is not ("host" or "netting"))
        {
            errors.Add("model", "Must be host or netting.");
        }
    }

    public void Validate(GetServiceSavings request, ValidationErrors errors)
        => errors.PeriodText("period", request.Period);
    public void Validate(GetRechargeStatement request, ValidationErrors errors)
        => errors.PeriodText("period", request.Period);
    public void Validate(GetCouncilSavings request, ValidationErrors errors)
        => errors.PeriodText("period", request.Period);
}

public sealed class GetApportionmentHandler(
    [ReadDb] ApportionmentDb db,
    Caller caller,
    LedgerReader ledger) : IQueryHandler<GetApportionment, ApportionmentDto>
{
    public async ValueTask<ApportionmentDto> Handle(GetApportionment query, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(query.Service, caller, cancellationToken);
        var result = await ledger.ReadAsync([service.Code], Period.Parse(query.Period), cancellationToken);
        return ApportionmentDto.From(result[0].Overheads);
    }
}

public static class GetApportionmentEndpoint
{
    public static void MapGetApportionment(this RouteGroupBuilder reports) =>
        reports.MapGet("/shared-services/{code}/apportionments/{period}",
            async (string code, string period, HttpRequest request, IMediator mediator, CancellationToken ct) =>
                Csv.OkOrCsv(request, await mediator.Send(new GetApportionment(code, period), ct)))
            .WithName("GetApportionment").WithSummary(
                "Split of the service's net cost for a month, quarter or financial year.")
            .Produces<ApportionmentDto>(StatusCodes.Status200OK, "application/json", "text/csv")
            .RequireAuthorization(Scopes.StatementsRead);
}
