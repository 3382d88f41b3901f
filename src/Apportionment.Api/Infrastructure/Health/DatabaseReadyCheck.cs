using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Apportionment.Api.Infrastructure.Health;

/// <summary>Ready when PostgreSQL answers within a few seconds and no migration is pending.</summary>
public sealed class DatabaseReadyCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    private static volatile bool s_migrated;

    public async Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context,
        CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ApportionmentDb>();
            await db.Database.ExecuteSqlRawAsync("select 1", timeout.Token);
            if (!s_migrated)
            {
                var pending = await db.Database.GetPendingMigrationsAsync(timeout.Token);
                if (pending.Any())
                {
                    return HealthCheckResult.Unhealthy($"Migrations pending: {string.Join(", ", pending)}");
                }

                s_migrated = true;
            }

            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL is not reachable.", e);
        }
    }
}
