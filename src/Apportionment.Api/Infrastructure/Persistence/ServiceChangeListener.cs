using Npgsql;

namespace Apportionment.Api.Infrastructure.Persistence;

/// <summary>
/// Holds one connection to the primary that LISTENs for service changes (service_changes.sql) and evicts them from
/// <see cref="ServiceCache"/>. A connection that breaks, or stops answering the periodic check, may have missed
/// notifications: the cache is emptied and bypassed at once, and used again only once a new connection listens.
/// </summary>
public sealed partial class ServiceChangeListener(
    LedgerDataSources sources,
    ServiceCache cache,
    IConfiguration configuration,
    ILogger<ServiceChangeListener> logger) : BackgroundService
{
    public const string Channel = "service_changed";

    private readonly TimeSpan _check = TimeSpan.FromSeconds(configuration.GetValue("Database:ListenCheckSeconds", 5));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                cache.StopServing();
                LogLost(logger, retry, e.Message);
                await Task.Delay(retry, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
                continue;
            }
        }

        cache.StopServing();
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        await using var connection = await sources.Primary.OpenConnectionAsync(ct);
        connection.Notification += (_, e) => cache.Forget(e.Payload);
        await using (var listen = new NpgsqlCommand($"listen {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(ct);
        }

        cache.StartServing();
        try
        {
            while (true)
            {
                if (!await connection.WaitAsync(_check, ct))
                {
                    // Quiet for a while: make sure the connection is still there, or a silent loss would go unnoticed.
                    await using var check = new NpgsqlCommand("select 1", connection);
                    await check.ExecuteScalarAsync(ct);
                }
            }
        }
        finally
        {
            cache.StopServing();
            await StopListeningAsync(connection);
        }
    }

    /// <summary>The connection goes back to the pool: it must not keep receiving notifications there.</summary>
    private static async Task StopListeningAsync(NpgsqlConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            await using var unlisten = new NpgsqlCommand("unlisten *", connection);
            await unlisten.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // A broken connection is not pooled again.
        }
    }

    [LoggerMessage(LogLevel.Warning,
        "Service change notifications lost; the service cache is bypassed until listening again (in {Retry}): {Error}")]
    private static partial void LogLost(ILogger logger, TimeSpan retry, string error);
}
