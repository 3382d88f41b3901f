using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Apportionment.Api.Infrastructure.Persistence;

public static class DatabaseSetup
{
    public const string ConnectionStringName = "Apportionment";

    public static IServiceCollection AddApportionmentDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException(
                $"Set ConnectionStrings:{ConnectionStringName} (environment ConnectionStrings__{ConnectionStringName}) to an Npgsql connection string.");

        var dataSource = new NpgsqlDataSourceBuilder(connectionString).EnableDynamicJson().Build();
        services.AddSingleton(dataSource);
        services.AddDbContextPool<ApportionmentDb>(o => Configure(o, dataSource));
        return services;
    }

    public static void Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options
            .UseNpgsql(dataSource, npgsql => npgsql.EnableRetryOnFailure(maxRetryCount: 3, maxRetryDelay: TimeSpan.FromSeconds(2), errorCodesToAdd: null))
            .UseSnakeCaseNamingConvention();

    /// <summary>
    /// Waits for PostgreSQL with bounded, jittered exponential backoff, then applies migrations unless
    /// Database:MigrateOnStartup is false (deployments that migrate with a separate job).
    /// </summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app, bool migrate, CancellationToken cancellationToken = default)
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
                    logger.LogWarning("PostgreSQL not reachable (attempt {Attempt} of {Max}); retrying in {Delay}: {Error}",
                        args.AttemptNumber + 1, retries, args.RetryDelay, args.Outcome.Exception?.Message);
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
