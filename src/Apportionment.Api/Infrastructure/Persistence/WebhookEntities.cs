namespace Apportionment.Api.Infrastructure.Persistence;

/// <summary>A council's endpoint for events about the services it belongs to.</summary>
public sealed class WebhookSubscription
{
    public Guid Id { get; init; }
    public required string Council { get; init; }
    public required string Url { get; init; }
    public required string[] Events { get; init; }
    /// <summary>
    /// The signing key (<c>whsec_…</c>). Kept because signing needs it; no answer ever returns it after creation or
    /// rotation.
    /// </summary>
    public required string Secret { get; set; }
    /// <summary>
    /// The key replaced by the last rotation, still signed with until <see cref="PreviousSecretUntil"/>.
    /// </summary>
    public string? PreviousSecret { get; set; }
    public DateTimeOffset? PreviousSecretUntil { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DeletedAt { get; set; }
}

/// <summary>
/// The transactional outbox: one row per event, written in the same transaction as the change it reports.
/// </summary>
public sealed class WebhookEvent
{
    public Guid Id { get; init; }
    public required string Type { get; init; }
    public required string ServiceCode { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    /// <summary>The exact JSON sent (text, not jsonb, so every attempt sends and signs the same bytes).</summary>
    public required string Body { get; init; }
}

/// <summary>
/// One event to one subscription: claimed by a dispatcher, attempted until it succeeds or the schedule ends.
/// </summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; init; }
    public Guid EventId { get; init; }
    public Guid SubscriptionId { get; init; }
    public required string Status { get; set; }
    public int Attempts { get; set; }
    /// <summary>Attempts made before the latest redelivery: the retry schedule restarts from here.</summary>
    public int RoundStart { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    /// <summary>
    /// Which claim owns the delivery while it is being sent; a stale claim cannot record over a newer one.
    /// </summary>
    public Guid? ClaimToken { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; set; }
}

/// <summary>Every attempt to send a delivery, kept for the delivery log.</summary>
public sealed class WebhookAttempt
{
    public long Id { get; init; }
    public Guid DeliveryId { get; init; }
    public DateTimeOffset AttemptedAt { get; init; }
    public int? StatusCode { get; init; }
    public string? Error { get; init; }
    public double DurationMs { get; init; }
}

public static class WebhookModel
{
    /// <summary>The webhook tables, kept apart from the ledger's so the model stays readable.</summary>
    public static void AddWebhooks(this ModelBuilder b)
    {
        b.Entity<WebhookSubscription>(e =>
        {
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.Council);
            e.Property(x => x.Council).HasMaxLength(16);
            e.Property(x => x.Url).HasMaxLength(2000);
            e.HasOne<Council>().WithMany().HasForeignKey(x => x.Council).OnDelete(DeleteBehavior.Restrict);
        });

        b.Entity<WebhookEvent>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Type).HasMaxLength(40);
            e.Property(x => x.ServiceCode).HasMaxLength(16);
            e.Property(x => x.Body).HasColumnType("text");
            e.HasIndex(x => new { x.ServiceCode, x.OccurredAt });
        });

        b.Entity<WebhookDelivery>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Status).HasMaxLength(16);
            e.Property(x => x.LastError).HasMaxLength(500);
            e.HasOne<WebhookEvent>().WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<WebhookSubscription>().WithMany().HasForeignKey(x => x.SubscriptionId)
                .OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.SubscriptionId, x.CreatedAt });
            e.HasIndex(x => x.EventId);
            // What the dispatcher scans: only deliveries still waiting, by when they fall due.
            e.HasIndex(x => x.NextAttemptAt).HasFilter("status = 'pending'");
        });

        b.Entity<WebhookAttempt>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Error).HasMaxLength(500);
            e.HasOne<WebhookDelivery>().WithMany().HasForeignKey(x => x.DeliveryId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.DeliveryId, x.AttemptedAt });
        });
    }
}
