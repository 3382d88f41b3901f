namespace Apportionment.Api.Features.Webhooks;

/// <summary>A subscription as listed: never its secret.</summary>
public sealed record WebhookDto(
    Guid Id,
    string Council,
    string Url,
    IReadOnlyList<string> Events,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PreviousSecretUntil,
    DateTimeOffset? DeletedAt)
{
    public static WebhookDto From(WebhookSubscription s)
        => new(s.Id, s.Council, s.Url, s.Events, s.CreatedAt, s.PreviousSecretUntil, s.DeletedAt);
}

/// <summary>Returned once, at creation or rotation: the only time the signing secret is shown.</summary>
public sealed record WebhookSecretDto(
    Guid Id,
    string Council,
    string Url,
    IReadOnlyList<string> Events,
    string Secret,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PreviousSecretUntil);

public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}

public static class WebhookAccess
{
    /// <summary>
    /// A live subscription the caller may manage: 404 if unknown or deleted, 403 if it is another council's.
    /// </summary>
    public static async Task<WebhookSubscription> SubscriptionForAsync(
        this ApportionmentDb db,
        Guid id,
        Caller caller,
        CancellationToken ct)
    {
        var subscription = await db.WebhookSubscriptions
            .SingleOrDefaultAsync(s => s.Id == id && s.DeletedAt == null, ct)
            ?? throw new NotFoundException("Webhook", id.ToString());
        caller.EnsureActsFor(subscription.Council, "manage webhooks");
        return subscription;
    }
}
