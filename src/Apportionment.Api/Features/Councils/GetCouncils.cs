using Apportionment.Api.Features.Shared;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Pipeline;
using Apportionment.Api.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Features.Councils;

public sealed record ListCouncils(int? Offset, int? Limit) : IQuery<Page<CouncilDto>>;

public sealed class ListCouncilsValidator : IValidator<ListCouncils>
{
    public void Validate(ListCouncils request, ValidationErrors errors) => errors.Paging(request.Offset, request.Limit);
}

public sealed class ListCouncilsHandler(ApportionmentDb db) : IQueryHandler<ListCouncils, Page<CouncilDto>>
{
    public async ValueTask<Page<CouncilDto>> Handle(ListCouncils query, CancellationToken cancellationToken) =>
        await db.Councils.AsNoTracking().OrderBy(c => c.Code).Select(c => new CouncilDto(c.Code, c.Name))
            .PageAsync(query.Offset, query.Limit, cancellationToken);
}

public sealed record GetCouncil(string Code) : IQuery<CouncilDto>;

public sealed class GetCouncilHandler(ApportionmentDb db) : IQueryHandler<GetCouncil, CouncilDto>
{
    public async ValueTask<CouncilDto> Handle(GetCouncil query, CancellationToken cancellationToken) =>
        await db.Councils.AsNoTracking().Where(c => c.Code == query.Code).Select(c => new CouncilDto(c.Code, c.Name)).SingleOrDefaultAsync(cancellationToken)
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
