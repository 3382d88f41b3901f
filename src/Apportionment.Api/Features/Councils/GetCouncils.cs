namespace Apportionment.Api.Features.Councils;

public sealed record ListCouncils(int? Offset, int? Limit) : IQuery<Page<CouncilDto>>;

public sealed class ListCouncilsValidator : IValidator<ListCouncils>
{
    public void Validate(ListCouncils request, ValidationErrors errors) => errors.Paging(request.Offset, request.Limit);
}

public sealed class ListCouncilsHandler(
    ApportionmentDb db,
    Caller caller) : IQueryHandler<ListCouncils, Page<CouncilDto>>
{
    public async ValueTask<Page<CouncilDto>> Handle(ListCouncils query, CancellationToken cancellationToken) =>
        await db.VisibleCouncils(caller).OrderBy(c => c.Code).Select(c => new CouncilDto(c.Code, c.Name))
            .PageAsync(query.Offset, query.Limit, cancellationToken);
}

public static class CouncilVisibility
{
    /// <summary>
    /// An admin sees every council; a council key its own council and those it shares a service with.
    /// </summary>
    public static IQueryable<Council> VisibleCouncils(this ApportionmentDb db, Caller caller)
    {
        var councils = db.Councils.AsNoTracking();
        if (caller.IsAdmin)
        {
            return councils;
        }

        var own = caller.Council;
        return councils.Where(c => c.Code == own
            || db.ServiceMembers.Any(m => m.Council == c.Code
                && db.ServiceMembers.Any(o => o.ServiceCode == m.ServiceCode && o.Council == own)));
    }
}

public sealed record GetCouncil(string Code) : IQuery<CouncilDto>;

/// <summary>A council the key may not see answers 404, as if it did not exist.</summary>
public sealed class GetCouncilHandler(ApportionmentDb db, Caller caller) : IQueryHandler<GetCouncil, CouncilDto>
{
    public async ValueTask<CouncilDto> Handle(GetCouncil query, CancellationToken cancellationToken) =>
        await db.VisibleCouncils(caller).Where(c => c.Code == query.Code).Select(c => new CouncilDto(c.Code, c.Name))
            .SingleOrDefaultAsync(cancellationToken)
        ?? throw new NotFoundException("Council", query.Code);
}

public static class GetCouncilsEndpoints
{
    public static void MapGetCouncils(this RouteGroupBuilder councils)
    {
        councils.MapGet("/", async (int? offset, int? limit, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListCouncils(offset, limit), ct)))
            .WithName("ListCouncils").WithSummary("List registered councils.")
            .RequireAuthorization(Scopes.StatementsRead);

        councils.MapGet("/{code}", async (string code, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetCouncil(code), ct)))
            .WithName("GetCouncil").WithSummary("One council.")
            .RequireAuthorization(Scopes.StatementsRead);
    }
}
