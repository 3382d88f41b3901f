namespace Apportionment.Api.Infrastructure.Webhooks;

/// <summary>
/// Configuration section <c>Webhooks</c>; every duration is configurable so tests run the whole schedule in moments.
/// </summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// Hosts that may resolve to loopback or private addresses and may use plain http (local receivers, tests).
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Whether this replica runs a dispatcher. Any number may: they never claim the same delivery.</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>How often an idle dispatcher looks for deliveries that have fallen due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Deliveries claimed per round (and sent in parallel).</summary>
    public int BatchSize { get; set; } = 20;

    /// <summary>How long one attempt may take, connection and response included.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per delivery before it is marked failed (a redelivery starts a new round).</summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>
    /// Delay before the second attempt; each later delay doubles, up to <see cref="MaxRetryDelay"/>, with ±20% jitter.
    /// </summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(2);

    /// <summary>After a secret rotation, how long the old secret keeps signing beside the new one.</summary>
    public TimeSpan SecretOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The circuit breaker per endpoint: this share of failed attempts ...</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>... among at least this many attempts within <see cref="BreakerSamplingDuration"/> ...</summary>
    public int BreakerMinimumThroughput { get; set; } = 10;

    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>... stops sending to it for this long; its deliveries wait without using up attempts.</summary>
    public TimeSpan BreakerDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most of a response body read (the rest is discarded unread).</summary>
    public int MaxResponseBytes { get; set; } = 4096;

    public bool IsAllowListed(string host) => AllowedHosts.Contains(host, StringComparer.OrdinalIgnoreCase);
}
