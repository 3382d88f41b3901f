namespace Apportionment.Api.Features.Services;

/// <summary>
/// Services, optionally those one council belongs to. A council key sees only its own council's services.
/// </summary>
public sealed record ListSharedServices(string? Council, int? Offset, int? Limit) : IQuery<Page<SharedServiceDto>>;

public sealed class ListSharedServicesValidator : IValidator<ListSharedServices>
{
    public void Validate(ListSharedServices request, ValidationErrors errors)
    {
        if (request.Council is not null)
        {
            errors.Code("council", request.Council);
        }

        errors.Paging(request.Offset, request.Limit);
    }
}

public sealed class ListSharedServicesHandler(
    ApportionmentDb db,
    Caller caller) : IQueryHandler<ListSharedServices, Page<SharedServiceDto>>
{
    public async ValueTask<Page<SharedServiceDto>> Handle(ListSharedServices query, CancellationToken cancellationToken)
    {
        var services = db.SharedServices.AsNoTracking().Include(s => s.Members).AsQueryable();
        if (query.Council is { } council)
        {
            services = services.Where(s => s.Members.Any(m => m.Council == council));
        }

        if (!caller.IsAdmin)
        {
            var own = caller.Council;
            services = services.Where(s => s.Members.Any(m => m.Council == own));
        }

        var page = await services.OrderBy(s => s.Code).PageAsync(query.Offset, query.Limit, cancellationToken);
        return new Page<SharedServiceDto>(
            page.Items.Select(SharedServiceDto.From).ToList(),
            page.Offset,
            page.Limit,
            page.Total);
    }
}

public sealed record GetSharedService(string Code) : IQuery<SharedServiceDto>;

public sealed class GetSharedServiceHandler(
    ApportionmentDb db,
    Caller caller) : IQueryHandler<GetSharedService, SharedServiceDto>
{
    public async ValueTask<SharedServiceDto> Handle(GetSharedService query, CancellationToken cancellationToken) =>
        SharedServiceDto.From(await db.ServiceForAsync(query.Code, caller, cancellationToken));
}

public static class GetSharedServicesEndpoints
{
    public static void MapGetSharedServices(this RouteGroupBuilder services)
    {
        services
            .MapGet("/", async (string? council, int? offset, int? limit, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListSharedServices(council, offset, limit), ct)))
            .WithName("ListSharedServices")
            .WithSummary("List shared services, optionally those a council belongs to.")
            .RequireAuthorization(Scopes.StatementsRead);

        services.MapGet("/{code}", async (string code, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetSharedService(code), ct)))
            .WithName("GetSharedService").WithSummary("One shared service with its members.")
            .RequireAuthorization(Scopes.StatementsRead);
    }
}
