namespace Apportionment.Api.Infrastructure.Webhooks;

/// <summary>
/// When a failed delivery is tried again: exponential backoff with ±20% jitter, so endpoints that failed together do
/// not all come back at the same instant. Kept in the database (the delivery's next attempt), not in memory, so the
/// schedule survives restarts and spans hours.
/// </summary>
public static class RetrySchedule
{
    /// <summary>
    /// The delay after the given failed attempt (1-based within the round), or null when the round is over.
    /// </summary>
    public static TimeSpan? DelayAfter(int failedAttempt, WebhookOptions options, double random)
    {
        if (failedAttempt >= options.MaxAttempts)
        {
            return null;
        }

        var exponential = options.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failedAttempt - 1, 30));
        var capped = Math.Min(exponential, options.MaxRetryDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + (0.4 * random)));
    }
}
