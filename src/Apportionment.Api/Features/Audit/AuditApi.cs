using System.Text.Json;

namespace Apportionment.Api.Features.Audit;

public sealed record AuditEventDto(
    long Id,
    DateTimeOffset At,
    Guid? KeyId,
    string KeyName,
    string? PersonName,
    string? Council,
    string Operation,
    string Entity,
    string EntityId,
    JsonElement Body);

/// <summary>Who changed what and when; newest first.</summary>
public sealed record ListAuditEvents(
    string? Entity,
    string? Council,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int? Offset,
    int? Limit) : IQuery<Page<AuditEventDto>>;

public sealed class ListAuditEventsValidator : IValidator<ListAuditEvents>
{
    public void Validate(ListAuditEvents request, ValidationErrors errors)
        => errors.Paging(request.Offset, request.Limit);
}

public sealed class ListAuditEventsHandler(ApportionmentDb db) : IQueryHandler<ListAuditEvents, Page<AuditEventDto>>
{
    public async ValueTask<Page<AuditEventDto>> Handle(ListAuditEvents query, CancellationToken cancellationToken)
    {
        var events = db.AuditEvents.AsQueryable();
        if (query.Entity is not null)
        {
            events = events.Where(e => e.Entity == query.Entity);
        }

        if (query.Council is not null)
        {
            events = events.Where(e => e.Council == query.Council);
        }

        if (query.From is { } from)
        {
            events = events.Where(e => e.At >= from);
        }

        if (query.To is { } to)
        {
            events = events.Where(e => e.At < to);
        }

        var page = await events.OrderByDescending(e => e.Id).PageAsync(query.Offset, query.Limit, cancellationToken);
        return new Page<AuditEventDto>(page.Items.Select(e => new AuditEventDto(
            e.Id, e.At, e.KeyId, e.KeyName, e.PersonName, e.Council, e.Operation, e.Entity, e.EntityId, JsonDocument
                .Parse(e.Body)
                .RootElement)).ToList(), page.Offset, page.Limit, page.Total);
    }
}

public static class AuditApi
{
    public static RouteGroupBuilder MapAudit(this RouteGroupBuilder api)
    {
        api.MapGet("/audit",
            async (string? entity, string? council, DateTimeOffset? from, DateTimeOffset? to, int? offset, int? limit,
                IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListAuditEvents(entity, council, from, to, offset, limit), ct)))
            .WithTags("Audit").WithName("ListAuditEvents").WithSummary("The audit trail of every change, newest first.")
            .RequireAuthorization(Scopes.Admin);
        return api;
    }
}
