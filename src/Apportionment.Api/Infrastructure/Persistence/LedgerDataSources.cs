using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace Apportionment.Api.Infrastructure.Persistence;

/// <summary>
/// Where the service writes and where it reads. <see cref="Reads"/> is null with one database: every read then uses
/// the primary, exactly as writes do. It is set by a second connection string (ConnectionStrings:ApportionmentRead,
/// one standby or several hosts) or by a main connection string naming several hosts; either way reads prefer a
/// standby and writes only ever go to the primary. See docs/operations-database.md.
/// </summary>
public sealed class LedgerDataSources(NpgsqlDataSource primary, NpgsqlDataSource? reads, bool readsBalanced)
{
    public const string ReadConnectionStringName = "ApportionmentRead";

    public NpgsqlDataSource Primary { get; } = primary;

    public NpgsqlDataSource? Reads { get; } = reads;

    /// <summary>
    /// Reads round-robin over several standbys (Load Balance Hosts): a check of one standby's progress says nothing of
    /// the next connection's, so a read that must see a write goes to the primary without asking.
    /// </summary>
    public bool ReadsBalanced { get; } = readsBalanced;

    public static LedgerDataSources Create(string connectionString, string? readConnectionString)
    {
        var write = new NpgsqlConnectionStringBuilder(DatabaseSetup.WithServiceDefaults(connectionString));
        NpgsqlDataSource? reads = null;
        var balanced = false;
        NpgsqlDataSource primary;
        if (IsMultiHost(write))
        {
            // Npgsql never retries a command on another host itself; the service's own retry (and the client's, on a
            // 503 with Retry-After) reaches the new primary once Npgsql has seen the promotion.
            write.TargetSessionAttributes = null;
            var hosts = Builder(write).BuildMultiHost();
            primary = hosts.WithTargetSession(TargetSessionAttributes.Primary);
            reads = hosts.WithTargetSession(TargetSessionAttributes.PreferStandby);
            balanced = write.LoadBalanceHosts;
        }
        else
        {
            primary = Builder(write).Build();
        }

        if (!string.IsNullOrWhiteSpace(readConnectionString))
        {
            var read = new NpgsqlConnectionStringBuilder(DatabaseSetup.WithServiceDefaults(readConnectionString));
            balanced = read.LoadBalanceHosts && IsMultiHost(read);
            if (IsMultiHost(read))
            {
                var target = ParseTarget(read.TargetSessionAttributes) ?? TargetSessionAttributes.PreferStandby;
                read.TargetSessionAttributes = null;
                reads = Builder(read).BuildMultiHost().WithTargetSession(target);
            }
            else
            {
                reads = Builder(read).Build();
            }
        }

        return new LedgerDataSources(primary, reads, balanced);
    }

    /// <summary>
    /// The primary's WAL position now: at or past the commit of every write already answered. The insert position, not
    /// the write position, which lags it by what is still in WAL buffers when commits are asynchronous.
    /// </summary>
    public async Task<NpgsqlLogSequenceNumber> PrimaryPositionAsync(CancellationToken ct)
    {
        await using var command = Primary.CreateCommand("select pg_current_wal_insert_lsn()");
        return (NpgsqlLogSequenceNumber)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Whether the read side has replayed <paramref name="position"/>, waiting up to <paramref name="wait"/> for it. A
    /// read side that turns out to be a primary (prefer-standby with no standby up) has everything.
    /// </summary>
    public async Task<bool> ReadsHaveReplayedAsync(
        NpgsqlLogSequenceNumber position,
        TimeSpan wait,
        CancellationToken ct)
    {
        if (Reads is null)
        {
            return true;
        }

        var started = TimeProvider.System.GetTimestamp();
        await using var command = Reads.CreateCommand("select coalesce(pg_last_wal_replay_lsn() >= $1, true)");
        command.Parameters.Add(new NpgsqlParameter { Value = position, NpgsqlDbType = NpgsqlDbType.PgLsn });
        while (true)
        {
            if ((bool)(await command.ExecuteScalarAsync(ct))!)
            {
                return true;
            }

            if (TimeProvider.System.GetElapsedTime(started) >= wait)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), ct);
        }
    }

    private static NpgsqlDataSourceBuilder Builder(NpgsqlConnectionStringBuilder connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString.ConnectionString);
        builder.EnableDynamicJson();
        return builder;
    }

    private static bool IsMultiHost(NpgsqlConnectionStringBuilder connectionString) =>
        connectionString.Host?.Contains(',', StringComparison.Ordinal) == true;

    private static TargetSessionAttributes? ParseTarget(string? text) =>
        Enum.TryParse<TargetSessionAttributes>(
            text?.Replace("-", "", StringComparison.Ordinal),
            ignoreCase: true,
            out var target) ? target : null;
}

/// <summary>
/// On a constructor parameter of type <see cref="ApportionmentDb"/>: the context reads from the read side (a standby
/// when one is configured, the primary otherwise, or when the request must see a write the standby has not replayed).
/// Only for handlers that never write.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class ReadDbAttribute() : FromKeyedServicesAttribute(ServiceKey)
{
    public const string ServiceKey = "ledger-reads";
}

/// <summary>
/// For this request: whether the read side must be the primary (set by <see cref="ReadAfterWriteMiddleware"/>).
/// </summary>
public sealed class ReadRoute
{
    public bool ToPrimary { get; set; }
}

public static class LedgerReadsSetup
{
    public static IServiceCollection AddLedgerReads(
        this IServiceCollection services,
        LedgerDataSources sources,
        IConfiguration configuration)
    {
        services.AddScoped<ReadRoute>();
        services.Configure<ReadAfterWriteOptions>(configuration.GetSection("Database"));
        if (sources.Reads is not { } reads)
        {
            // One database: the read side is the very context the request already uses.
            return services.AddKeyedScoped<ApportionmentDb>(
                ReadDbAttribute.ServiceKey,
                (sp, _) => sp.GetRequiredService<ApportionmentDb>());
        }

        services.AddKeyedSingleton<IDbContextFactory<ApportionmentDb>>(ReadDbAttribute.ServiceKey, (sp, _) =>
        {
            // The primary's model, so compiled queries built against one context type serve both without recompiling.
            using var probe = new ApportionmentDb(sp.GetRequiredService<DbContextOptions<ApportionmentDb>>());
            var options = new DbContextOptionsBuilder<ApportionmentDb>().UseModel(probe.Model)
                .UseApplicationServiceProvider(sp);
            DatabaseSetup.Configure(options, reads);
            return new PooledDbContextFactory<ApportionmentDb>(options.Options);
        });
        return services.AddKeyedScoped<ApportionmentDb>(ReadDbAttribute.ServiceKey, (sp, _) => sp
            .GetRequiredService<ReadRoute>()
            .ToPrimary
            ? sp.GetRequiredService<ApportionmentDb>()
            : sp.GetRequiredKeyedService<IDbContextFactory<ApportionmentDb>>(ReadDbAttribute.ServiceKey)
                .CreateDbContext());
    }
}
