using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL;
using Polly;
using Polly.Retry;

namespace Apportionment.Api.Infrastructure.Persistence;

public static class DatabaseSetup
{
    public const string ConnectionStringName = "Apportionment";

    public static IServiceCollection AddApportionmentDatabase(
        this IServiceCollection services,
        IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException(
                $"Set ConnectionStrings:{ConnectionStringName} (environment ConnectionStrings__{ConnectionStringName}) "
                    + "to an Npgsql connection string.");

        var sources = LedgerDataSources.Create(
            connectionString,
            configuration.GetConnectionString(LedgerDataSources.ReadConnectionStringName));
        services.AddSingleton(sources);
        services.AddSingleton(sources.Primary);
        services.AddDbContextPool<ApportionmentDb>(o => Configure(o, sources.Primary));
        services.AddSingleton<ServiceCache>();
        services.AddHostedService<ServiceChangeListener>();
        services.AddLedgerReads(sources, configuration);
        return services;
    }

    public static void Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options
            .UseNpgsql(dataSource, npgsql => npgsql.ExecutionStrategy(d => new BoundedRetryingExecutionStrategy(d)))
            .UseSnakeCaseNamingConvention()
            // A failed save is answered (and logged, if it is a 5xx) by the exception handler. A refusal the database
            // makes by design, such as a retried Idempotency-Key's unique row, a closed month or a lost race, is not an
            // error. The same goes for a command that fails (the closed-month check runs as a query): whatever is a
            // real failure becomes a 5xx and is logged at Error there, once.
            .ConfigureWarnings(w => w.Log(
                (Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.SaveChangesFailed, LogLevel.Debug),
                (Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandError, LogLevel.Debug),
                (Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.QueryIterationFailed, LogLevel.Debug)));

    /// <summary>
    /// While PostgreSQL is unreachable a request must fail fast with 503 (within 10 s), not hang: Npgsql's defaults
    /// (15 s to connect, 30 s per command) would hold it for a minute and more with retries. Measured against a
    /// partition (connections open, nothing answers): a command times out after Command Timeout plus about twice
    /// Timeout spent on the cancellation request, so 3 s + 2 × 2 s ≈ 7 s; a refused connection fails at once and the
    /// retry budget (<see cref="BoundedRetryingExecutionStrategy.Budget"/>) ends it in about 3 s. Not waiting for the
    /// cancellation's answer (Cancellation Timeout -1) means a timed-out connection is dropped rather than reused.
    /// Statements are short OLTP reads and writes, the same few thousands of times a second, so the hot ones are
    /// prepared once per connection (Max Auto Prepare) rather than parsed and planned on every call. Values the
    /// connection string sets itself win.
    /// </summary>
    public static string WithServiceDefaults(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var defaults = new NpgsqlConnectionStringBuilder();
        if (builder.Timeout == defaults.Timeout)
        {
            builder.Timeout = 2;
        }

        if (builder.CommandTimeout == defaults.CommandTimeout)
        {
            builder.CommandTimeout = 3;
        }

        if (builder.CancellationTimeout == defaults.CancellationTimeout)
        {
            builder.CancellationTimeout = -1;
        }

        if (builder.MaxAutoPrepare == defaults.MaxAutoPrepare)
        {
            builder.MaxAutoPrepare = 64;
        }

        // The service keeps no session state (its advisory locks end with their transactions), so a pooled connection
        // needs no DISCARD ALL in front of its next command.
        if (builder.NoResetOnClose == defaults.NoResetOnClose)
        {
            builder.NoResetOnClose = true;
        }

        // Several hosts: a promoted standby must be seen as the new primary within seconds, not Npgsql's 10.
        if (builder.Host?.Contains(',', StringComparison.Ordinal) == true
            && builder.HostRecheckSeconds == defaults.HostRecheckSeconds)
        {
            builder.HostRecheckSeconds = 2;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// Waits for PostgreSQL with bounded, jittered exponential backoff, then applies migrations unless
    /// Database:MigrateOnStartup is false (deployments that migrate with a separate job).
    /// </summary>
    public static async Task PrepareDatabaseAsync(
        this WebApplication app,
        bool migrate,
        CancellationToken cancellationToken = default)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Apportionment.Database");
        var retries = app.Configuration.GetValue("Database:StartupRetries", 8);
        var pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(500),
                MaxDelay = TimeSpan.FromSeconds(15),
                ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>().Handle<TimeoutException>(),
                OnRetry = args =>
                {
                    logger.LogWarning(
                        "PostgreSQL not reachable (attempt {Attempt} of {Max}); retrying in {Delay}: {Error}",
                        args.AttemptNumber + 1,
                        retries,
                        args.RetryDelay,
                        args.Outcome.Exception?.Message);
                    return default;
                },
            })
            .Build();

        await pipeline.ExecuteAsync(async ct =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ApportionmentDb>();
            if (migrate)
            {
                // EF reads the history table before creating it, and logs the failed read as an Error on every first
                // start; creating it first (if not there) leaves the log of a clean start clean.
                // Migrate would create a missing database itself; creating the history table first needs it to exist.
                var creator = db.GetService<IRelationalDatabaseCreator>();
                if (!await creator.ExistsAsync(ct))
                {
                    await creator.CreateAsync(ct);
                }

                await db.Database
                    .ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), ct);
                await db.Database.MigrateAsync(ct);
                logger.LogInformation("Database migrations applied");
            }
            else
            {
                await db.Database.OpenConnectionAsync(ct);
                await db.Database.CloseConnectionAsync();
            }
        }, cancellationToken);
    }
}

/// <summary>
/// Npgsql's retrying strategy, bounded in time: a transient failure is retried (the whole transaction, so only work
/// that is safe to repeat) but no retry starts once <see cref="Budget"/> has passed since the first attempt, so an
/// outage answers 503 within seconds rather than after every retry's timeout.
/// </summary>
public sealed class BoundedRetryingExecutionStrategy(ExecutionStrategyDependencies dependencies)
    : NpgsqlRetryingExecutionStrategy(
        dependencies,
        maxRetryCount: 3,
        maxRetryDelay: TimeSpan.FromSeconds(1),
        errorCodesToAdd: null)
{
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);
    private long _started;

    protected override void OnFirstExecution()
    {
        base.OnFirstExecution();
        _started = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    protected override TimeSpan? GetNextDelay(Exception lastException)
    {
        var delay = base.GetNextDelay(lastException);
        return delay is { } d && System.Diagnostics.Stopwatch.GetElapsedTime(_started) + d <= Budget ? d : null;
    }
}

/// <summary>Lets `dotnet ef migrations add` build the model without starting the web host.</summary>
public sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<ApportionmentDb>
{
    public ApportionmentDb CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<ApportionmentDb>();
        DatabaseSetup.Configure(builder, NpgsqlDataSource.Create("Host=localhost;Database=design_time"));
        return new ApportionmentDb(builder.Options);
    }
}
