using System.Text.Json.Serialization;
using Apportionment.Api.Infrastructure.Webhooks;
using Microsoft.Extensions.Options;

namespace Apportionment.Api.Features.Webhooks;

/// <summary>Live subscriptions: a council key sees its own council's; an admin sees all, or one council's.</summary>
public sealed record ListWebhooks(string? Council, int? Offset, int? Limit) : IQuery<Page<WebhookDto>>;

public sealed class ListWebhooksValidator : IValidator<ListWebhooks>
{
    public void Validate(ListWebhooks request, ValidationErrors errors) => errors.Paging(request.Offset, request.Limit);
}

public sealed class ListWebhooksHandler(
    ApportionmentDb db,
    Caller caller) : IQueryHandler<ListWebhooks, Page<WebhookDto>>
{
    public async ValueTask<Page<WebhookDto>> Handle(ListWebhooks query, CancellationToken cancellationToken)
    {
        var council = query.Council ?? (caller.IsAdmin ? null : caller.Council);
        if (council is not null)
        {
            caller.EnsureActsFor(council, "see webhooks");
        }
        else if (!caller.IsAdmin)
        {
            // Every council's subscriptions is an admin's view; a caller that speaks for no council sees none of them.
            throw new ForbiddenException(
                "This caller acts for no council and is not an admin, so it cannot list webhooks.");
        }

        var subscriptions = db.WebhookSubscriptions.AsNoTracking()
            .Where(s => s.DeletedAt == null && (council == null || s.Council == council));
        var page = await subscriptions.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id)
            .PageAsync(query.Offset, query.Limit, cancellationToken);
        return new Page<WebhookDto>(page.Items.Select(WebhookDto.From).ToList(), page.Offset, page.Limit, page.Total);
    }
}

public sealed record GetWebhook(Guid Id) : IQuery<WebhookDto>;

public sealed class GetWebhookHandler(ApportionmentDb db, Caller caller) : IQueryHandler<GetWebhook, WebhookDto>
{
    public async ValueTask<WebhookDto> Handle(GetWebhook query, CancellationToken cancellationToken) =>
        WebhookDto.From(await db.SubscriptionForAsync(query.Id, caller, cancellationToken));
}

/// <summary>Stops a subscription: nothing more is sent to it, and deliveries still waiting are cancelled.</summary>
public sealed record DeleteWebhook(Guid Id) : ICommand<WebhookDto>, IAudited<WebhookDto>
{
    [JsonIgnore] public string AuditEntity => "webhook";
    public string AuditEntityId(WebhookDto response) => response.Id.ToString();
}

public sealed class DeleteWebhookHandler(
    ApportionmentDb db,
    Caller caller,
    TimeProvider clock) : ICommandHandler<DeleteWebhook, WebhookDto>
{
    public async ValueTask<WebhookDto> Handle(DeleteWebhook command, CancellationToken cancellationToken)
    {
        var subscription = await db.SubscriptionForAsync(command.Id, caller, cancellationToken);
        subscription.DeletedAt = clock.GetUtcNow();
        await db.WebhookDeliveries.Where(d => d.SubscriptionId == subscription.Id && d.Status == DeliveryStatus.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.Status, DeliveryStatus.Cancelled)
                .SetProperty(d => d.NextAttemptAt, (DateTimeOffset?)null), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return WebhookDto.From(subscription);
    }
}

/// <summary>
/// A new signing secret, shown once. The old one keeps signing beside it for the overlap (Webhooks:SecretOverlap,
/// 24 hours by default): every delivery then carries both signatures, so the receiver can switch at its own pace.
/// </summary>
public sealed record RotateWebhookSecret(Guid Id) : ICommand<WebhookSecretDto>, IAudited<WebhookSecretDto>
{
    [JsonIgnore] public string AuditEntity => "webhook";
    public string AuditEntityId(WebhookSecretDto response) => response.Id.ToString();
}

public sealed class RotateWebhookSecretHandler(
    ApportionmentDb db,
    Caller caller,
    IOptions<WebhookOptions> options,
    TimeProvider clock)
    : ICommandHandler<RotateWebhookSecret, WebhookSecretDto>
{
    public async ValueTask<WebhookSecretDto> Handle(RotateWebhookSecret command, CancellationToken cancellationToken)
    {
        var subscription = await db.SubscriptionForAsync(command.Id, caller, cancellationToken);
        subscription.PreviousSecret = subscription.Secret;
        subscription.PreviousSecretUntil = clock.GetUtcNow() + options.Value.SecretOverlap;
        subscription.Secret = WebhookSignature.NewSecret();
        await db.SaveChangesAsync(cancellationToken);
        return new WebhookSecretDto(
            subscription.Id,
            subscription.Council,
            subscription.Url,
            subscription.Events,
            subscription.Secret,
            subscription.CreatedAt,
            subscription.PreviousSecretUntil);
    }
}
