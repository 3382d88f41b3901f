using System.Text.Json.Serialization;

namespace Apportionment.Api.Features.Webhooks;

public sealed record AttemptDto(DateTimeOffset At, int? StatusCode, string? Error, double DurationMs);

/// <summary>One event to one endpoint: where it stands, and every attempt made so far (oldest first).</summary>
public sealed record DeliveryDto(
    Guid Id, Guid EventId, string EventType, DateTimeOffset OccurredAt, string Status, int Attempts,
    int? LastStatusCode, string? LastError,
    DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt, IReadOnlyList<AttemptDto> AttemptLog);

/// <summary>
/// The delivery log of a subscription, newest first; <c>status</c> narrows it (pending, succeeded, failed, cancelled).
/// </summary>
public sealed record ListDeliveries(Guid Id, string? Status, int? Offset, int? Limit) : IQuery<Page<DeliveryDto>>;

public sealed class ListDeliveriesValidator : IValidator<ListDeliveries>
{
    private static readonly string[] Statuses = [DeliveryStatus.Pending, DeliveryStatus.Succeeded, DeliveryStatus
        .Failed, DeliveryStatus.Cancelled];

    public void Validate(ListDeliveries request, ValidationErrors errors)
    {
        errors.Paging(request.Offset, request.Limit);
        if (request.Status is not null && !Statuses.Contains(request.Status))
        {
            errors.Add("status", $"Must be one of: {string.Join(", ", Statuses)}.");
        }
    }
}

public sealed class ListDeliveriesHandler(
    ApportionmentDb db,
    Caller caller) : IQueryHandler<ListDeliveries, Page<DeliveryDto>>
{
    public async ValueTask<Page<DeliveryDto>> Handle(ListDeliveries query, CancellationToken cancellationToken)
    {
        var subscription = await db.SubscriptionForAsync(query.Id, caller, cancellationToken);
        var deliveries = db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.SubscriptionId == subscription.Id && (query.Status == null || d.Status == query.Status))
            .Join(db.WebhookEvents, d => d.EventId, e => e.Id, (d, e) => new { Delivery = d, e.Type, e.OccurredAt })
            .OrderByDescending(x => x.OccurredAt)
            .ThenByDescending(x => x.Delivery.Id);
        var page = await deliveries.PageAsync(query.Offset, query.Limit, cancellationToken);
        var ids = page.Items.Select(i => i.Delivery.Id).ToList();
        var attempts = (await db.WebhookAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId))
            .OrderBy(a => a.Id)
            .ToListAsync(cancellationToken))
            .ToLookup(a => a.DeliveryId);
        return new Page<DeliveryDto>(page.Items.Select(i => new DeliveryDto(
            i.Delivery.Id, i.Delivery.EventId, i.Type, i.OccurredAt, i.Delivery.Status, i.Delivery.Attempts, i.Delivery
                .LastStatusCode, i.Delivery.LastError,
            i.Delivery.NextAttemptAt, i.Delivery.DeliveredAt,
            attempts[i.Delivery.Id].Select(a => new AttemptDto(a.AttemptedAt, a.StatusCode, a.Error, a.DurationMs))
                .ToList())).ToList(), page.Offset, page.Limit, page.Total);
    }
}

/// <summary>
/// Sends a delivery again, now, with the same webhook-id (so a receiver that already has it can ignore it), and a
/// fresh round of the retry schedule. A delivery still waiting for its next attempt is already going to be sent.
/// </summary>
public sealed record Redeliver(Guid Id, Guid DeliveryId) : ICommand<DeliveryDto>, IAudited<DeliveryDto>
{
    [JsonIgnore] public string AuditEntity => "webhook-delivery";
    public string AuditEntityId(DeliveryDto response) => response.Id.ToString();
}

public sealed class RedeliverHandler(ApportionmentDb db, Caller caller) : ICommandHandler<Redeliver, DeliveryDto>
{
    public async ValueTask<DeliveryDto> Handle(Redeliver command, CancellationToken cancellationToken)
    {
        var subscription = await db.SubscriptionForAsync(command.Id, caller, cancellationToken);
        var delivery = await db.WebhookDeliveries.SingleOrDefaultAsync(
            d => d.Id == command.DeliveryId && d.SubscriptionId == subscription.Id,
            cancellationToken)
            ?? throw new NotFoundException("Delivery", command.DeliveryId.ToString());
        if (delivery.Status == DeliveryStatus.Pending)
        {
            throw new ConflictException(
                "The delivery is still pending: it will be attempted at its next attempt time.");
        }

        var now = await db.Database.SqlQuery<DateTimeOffset>($"select now() as \"Value\"")
            .SingleAsync(cancellationToken);
        delivery.Status = DeliveryStatus.Pending;
        delivery.RoundStart = delivery.Attempts;
        delivery.NextAttemptAt = now;
        delivery.ClaimToken = null;
        await db.SaveChangesAsync(cancellationToken);
        var e = await db.WebhookEvents.AsNoTracking().SingleAsync(x => x.Id == delivery.EventId, cancellationToken);
        return new DeliveryDto(
            delivery.Id,
            delivery.EventId,
            e.Type,
            e.OccurredAt,
            delivery.Status,
            delivery.Attempts,
            delivery.LastStatusCode,
            delivery.LastError,
            delivery.NextAttemptAt,
            delivery.DeliveredAt,
            []);
    }
}
