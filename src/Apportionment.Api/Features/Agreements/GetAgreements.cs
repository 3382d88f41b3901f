namespace Apportionment.Api.Features.Agreements;

public sealed record ListAgreements(string Service, int? Offset, int? Limit) : IQuery<Page<AgreementDto>>;

public sealed class ListAgreementsValidator : IValidator<ListAgreements>
{
    public void Validate(ListAgreements request, ValidationErrors errors)
        => errors.Paging(request.Offset, request.Limit);
}

public sealed class ListAgreementsHandler(
    ApportionmentDb db,
    Caller caller) : IQueryHandler<ListAgreements, Page<AgreementDto>>
{
    public async ValueTask<Page<AgreementDto>> Handle(ListAgreements query, CancellationToken cancellationToken)
    {
        await db.ServiceForAsync(query.Service, caller, cancellationToken);
        var page = await db.SplitAgreements.AsNoTracking().Include(a => a.Approvals)
            .Where(a => a.ServiceCode == query.Service)
            .OrderByDescending(a => a.EffectiveFrom).ThenByDescending(a => a.ProposedAt)
            .PageAsync(query.Offset, query.Limit, cancellationToken);
        return new Page<AgreementDto>(
            page.Items.Select(AgreementDto.From).ToList(),
            page.Offset,
            page.Limit,
            page.Total);
    }
}

public sealed record GetAgreement(string Service, Guid Id) : IQuery<AgreementDto>;

public sealed class GetAgreementHandler(ApportionmentDb db, Caller caller) : IQueryHandler<GetAgreement, AgreementDto>
{
    public async ValueTask<AgreementDto> Handle(GetAgreement query, CancellationToken cancellationToken)
    {
        await db.ServiceOfAgreementAsync(caller, query.Service, query.Id, cancellationToken);
        var agreement = await db.SplitAgreements.AsNoTracking().Include(a => a.Approvals)
            .SingleOrDefaultAsync(a => a.Id == query.Id && a.ServiceCode == query.Service, cancellationToken)
            ?? throw new NotFoundException("Split agreement", query.Id.ToString());
        return AgreementDto.From(agreement);
    }
}

public static class GetAgreementsEndpoints
{
    public static void MapGetAgreements(this RouteGroupBuilder agreements)
    {
        agreements.MapGet("/", async (string code, int? offset, int? limit, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListAgreements(code, offset, limit), ct)))
            .WithName("ListAgreements").WithSummary("The service's split agreements, newest first.")
            .RequireAuthorization(Scopes.StatementsRead);

        agreements.MapGet("/{id:guid}",
            async Task<IResult> (string code, Guid id, HttpRequest request, HttpResponse response, IMediator mediator,
                CancellationToken ct) =>
            {
                var agreement = await mediator.Send(new GetAgreement(code, id), ct);
                if (ETags.NotModified(request, agreement.ETag))
                {
                    return TypedResults.StatusCode(StatusCodes.Status304NotModified);
                }

                response.Headers.ETag = agreement.ETag;
                return TypedResults.Ok(agreement);
            })
            .Produces<AgreementDto>().Produces(StatusCodes.Status304NotModified)
            .WithName("GetAgreement").WithSummary("One split agreement with its approvals; ETag is its version.")
            .RequireAuthorization(Scopes.StatementsRead);
    }
}
