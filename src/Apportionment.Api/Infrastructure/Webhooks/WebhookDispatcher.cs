using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Apportionment.Api.Infrastructure.Webhooks;

/// <summary>
/// Sends what the outbox holds. Each round claims due deliveries with <c>FOR UPDATE SKIP LOCKED</c> and, in the same
/// statement, leases them (moves their next attempt past the attempt timeout), so any number of replicas can run a
/// dispatcher and none sends a delivery another has claimed. Each attempt is recorded with its outcome; a delivery
/// whose attempt was sent but not recorded (crash, database outage) is sent again when its lease runs out, with the
/// same webhook-id: delivery is at least once, and receivers deduplicate on webhook-id.
/// </summary>
public sealed class WebhookDispatcher(
    NpgsqlDataSource database,
    WebhookSender sender,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    private const string Claim = """
        with due as (
            select id from webhook_deliveries
            where status = 'pending' and next_attempt_at <= now()
            order by next_attempt_at
            limit $1
            for update skip locked),
        claimed as (
            update webhook_deliveries d set next_attempt_at = now() + $2, claim_token = $3
            from due where d.id = due.id
            returning d.id, d.subscription_id, d.event_id, d.attempts, d.round_start)
        select c.id, c.subscription_id, s.url, s.secret,
               case when s.previous_secret_until > now() then s.previous_secret end,
               c.event_id, e.body, c.attempts, c.round_start
        from claimed c
        join webhook_subscriptions s on s.id = c.subscription_id
        join webhook_events e on e.id = c.event_id
        """;

    private const string Record = """
        with attempt as (
            insert into webhook_attempts (delivery_id, attempted_at, status_code, error, duration_ms)
            select $1, $2, $3, $4, $5
            where exists (select 1 from webhook_deliveries where id = $1 and claim_token = $6 and status = 'pending'))
        update webhook_deliveries
        set status = $7, attempts = attempts + 1, next_attempt_at = now() + $8, last_status_code = $3, last_error = $4,
            delivered_at = case when $7 = 'succeeded' then $2 end, claim_token = null
        where id = $1 and claim_token = $6 and status = 'pending'
        """;

    private const string Postpone = """
        update webhook_deliveries set next_attempt_at = now() + $3, claim_token = null
        where id = $1 and claim_token = $2 and status = 'pending'
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.DispatcherEnabled)
        {
            return;
        }

        // Let the host finish starting (and migrations run) before the first claim.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                claimed = await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Typically the database down or restarting. Leases keep everything claimed safe; a dispatcher that
                // stopped here would stop the host, so it logs and tries again next round.
                logger.LogWarning("Webhook dispatch round failed: {Error}", e.Message);
            }

            if (claimed < o.BatchSize)
            {
                try
                {
                    await Task.Delay(o.PollInterval, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// One round: claim due deliveries, send them in parallel, record each attempt. Returns how many were claimed.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        var token = Guid.NewGuid();
        var deliveries = await ClaimAsync(token, ct);
        await Parallel.ForEachAsync(deliveries, new ParallelOptions
        {
            MaxDegreeOfParallelism = Math.Max(1, o.BatchSize),
            CancellationToken = ct
        }, async (delivery, token2) =>
        {
            var at = clock.GetUtcNow();
            var outcome = await sender.SendAsync(delivery, token2);
            await RecordAsync(delivery, token, at, outcome, token2);
        });
        return deliveries.Count;
    }

    private async Task<List<ClaimedDelivery>> ClaimAsync(Guid token, CancellationToken ct)
    {
        var o = options.Value;
        // The lease outlasts any attempt, so no other dispatcher takes the delivery while this one is sending it.
        var lease = (o.AttemptTimeout * 2) + TimeSpan.FromSeconds(30);
        await using var command = database.CreateCommand(Claim);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = o.BatchSize });
        command.Parameters
            .Add(new NpgsqlParameter<TimeSpan> { TypedValue = lease, NpgsqlDbType = NpgsqlDbType.Interval });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = token });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var claimed = new List<ClaimedDelivery>();
        while (await reader.ReadAsync(ct))
        {
            var secrets = new List<string> { reader.GetString(3) };
            if (!reader.IsDBNull(4))
            {
                secrets.Add(reader.GetString(4));
            }

            claimed.Add(new ClaimedDelivery(
                reader.GetGuid(0),
                reader.GetGuid(1),
                reader.GetString(2),
                secrets,
                reader.GetGuid(5),
                reader.GetString(6),
                reader.GetInt32(7),
                reader.GetInt32(8)));
        }

        return claimed;
    }

    private async Task RecordAsync(
        ClaimedDelivery delivery,
        Guid token,
        DateTimeOffset at,
        AttemptOutcome outcome,
        CancellationToken ct)
    {
        var o = options.Value;
        NpgsqlCommand command;
        if (outcome.NotSent is { } wait)
        {
            command = database.CreateCommand(Postpone);
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = delivery.Id });
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = token });
            command.Parameters
                .Add(new NpgsqlParameter<TimeSpan> { TypedValue = wait, NpgsqlDbType = NpgsqlDbType.Interval });
        }
        else
        {
            var delay = outcome.Succeeded
                ? null
                : RetrySchedule.DelayAfter(delivery.Attempts + 1 - delivery.RoundStart, o, Random.Shared.NextDouble());
            var status = outcome.Succeeded ? "succeeded" : delay is null ? "failed" : "pending";
            command = database.CreateCommand(Record);
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = delivery.Id });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at });
            command.Parameters.Add(new NpgsqlParameter
            {
                Value = (object?)outcome.StatusCode ?? DBNull.Value,
                NpgsqlDbType = NpgsqlDbType.Integer
            });
            command.Parameters.Add(new NpgsqlParameter
            {
                Value = (object?)outcome.Error ?? DBNull.Value,
                NpgsqlDbType = NpgsqlDbType.Varchar
            });
            command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = outcome.DurationMs });
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = token });
            command.Parameters
                .Add(new NpgsqlParameter<string> { TypedValue = status, NpgsqlDbType = NpgsqlDbType.Varchar });
            command.Parameters.Add(
                new NpgsqlParameter
                {
                    Value = delay is { } d ? d : DBNull.Value,
                    NpgsqlDbType = NpgsqlDbType.Interval
                });
        }

        await using (command)
        {
            // The request has gone: recording it is worth a few tries through a database restart, since an unrecorded
            // success is sent again when its lease runs out.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await command.ExecuteNonQueryAsync(ct);
                    return;
                }
                catch (NpgsqlException e) when (attempt < 10 && !ct.IsCancellationRequested)
                {
                    logger.LogWarning(
                        "Recording webhook delivery {DeliveryId} failed (try {Attempt}): {Error}",
                        delivery.Id,
                        attempt,
                        e.Message);
                    await Task.Delay(TimeSpan.FromSeconds(1), clock, ct);
                }
            }
        }
    }
}
