using System.Data.Common;
using System.Diagnostics;
using Apportionment.Api.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Apportionment.Api.Tests.Quality.Reliability;

/// <summary>Test-only hook: holds the next cost posting's INSERT, inside its transaction, for a while.</summary>
public sealed class SlowPostingInterceptor : DbCommandInterceptor
{
    private TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TimeSpan _delay;

    public Task Entered => _entered.Task;

    public void Arm(TimeSpan delay)
    {
        _entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _delay = delay;
    }

    private async Task HoldAsync(DbCommand command, CancellationToken ct)
    {
        if (_delay > TimeSpan.Zero
            && command.CommandText.Contains("INSERT INTO cost_postings", StringComparison.OrdinalIgnoreCase))
        {
            var delay = _delay;
            _delay = TimeSpan.Zero;
            _entered.TrySetResult();
            await Task.Delay(delay, ct);
        }
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command,
        CommandEventData eventData,
        InterceptionResult<DbDataReader> result,
        CancellationToken cancellationToken = default)
    {
        await HoldAsync(command, cancellationToken);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command,
        CommandEventData eventData,
        InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        await HoldAsync(command, cancellationToken);
        return result;
    }
}

/// <summary>
/// Real Kestrel (TestServer does not drain requests on stop), a slow-posting hook and a shutdown timeout.
/// </summary>
public sealed class ShutdownApiFactory : ApiFactory
{
    private readonly int _shutdownSeconds;

    public ShutdownApiFactory(int shutdownSeconds)
    {
        _shutdownSeconds = shutdownSeconds;
        UseKestrel(0);
    }

    public SlowPostingInterceptor Hook { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting(
            "Shutdown:TimeoutSeconds",
            _shutdownSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureTestServices(
            services => services.ConfigureDbContext<ApportionmentDb>(o => o.AddInterceptors(Hook)));
    }
}

public sealed class ShutdownTests
{
    private static async Task<long> Count(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<(ShutdownApiFactory Factory, Scenario Scenario)> StartAsync(int shutdownSeconds)
    {
        var factory = new ShutdownApiFactory(shutdownSeconds);
        await ((IAsyncLifetime)factory).InitializeAsync();
        factory.StartServer();
        return (factory, await Scenario.CreateAsync(factory));
    }

    private static HttpRequestMessage Posting(Scenario s, string key) =>
        new(HttpMethod.Post, $"/api/v1/shared-services/{s.Service}/costs")
        {
            Content = JsonContent.Create(
                new { month = "2024-05", amount = 321.09m, category = "staff", reference = key }),
            Headers = { { "Idempotency-Key", key } },
        };

    private static async Task<(long Postings, long Audit, long Keys)> Written(ApiFactory factory, string key) => (
        await Count(factory.ConnectionString, $"select count(*) from cost_postings where reference = '{key}'"),
        await Count(
            factory.ConnectionString,
            $"select count(*) from audit_events where operation = 'PostCost' and body->>'reference' = '{key}'"),
        await Count(
            factory.ConnectionString,
            $"select count(*) from idempotency_records where key = '{key}' and response is not null"));

    [Fact]
    public async Task On_stop_an_in_flight_posting_finishes_and_is_committed()
    {
        var (factory, s) = await StartAsync(shutdownSeconds: 30);
        try
        {
            var key = Guid.NewGuid().ToString("N");
            factory.Hook.Arm(TimeSpan.FromSeconds(3));
            var client = factory.Admin();
            var inFlight = client.SendAsync(Posting(s, key));
            await factory.Hook.Entered.WaitAsync(TimeSpan.FromSeconds(10));

            var watch = Stopwatch.StartNew();
            var lifetime = factory.Services.GetRequiredService<IHostApplicationLifetime>();
            lifetime.StopApplication();
            Assert.True(lifetime.ApplicationStopping.IsCancellationRequested);

            var response = await inFlight;
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.True(
                watch.Elapsed > TimeSpan.FromSeconds(1),
                "the request should still have been running when the host began to stop");
            Assert.Equal((1, 1, 1), await Written(factory, key));
        }
        finally
        {
            await ((IAsyncLifetime)factory).DisposeAsync();
        }
    }

    [Fact]
    public async Task A_request_still_running_when_the_shutdown_timeout_ends_is_rolled_back_entirely()
    {
        var (factory, s) = await StartAsync(shutdownSeconds: 1);
        try
        {
            var key = Guid.NewGuid().ToString("N");
            factory.Hook.Arm(TimeSpan.FromSeconds(30));
            var client = factory.Admin();
            var inFlight = client.SendAsync(Posting(s, key));
            await factory.Hook.Entered.WaitAsync(TimeSpan.FromSeconds(10));

            var watch = Stopwatch.StartNew();
            factory.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
            try
            {
                var response = await inFlight.WaitAsync(TimeSpan.FromSeconds(20));
                Assert.True(
                    (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.Created,
                    $"{response.StatusCode}");
            }
            catch (HttpRequestException)
            {
                // The connection was aborted when the shutdown timeout ran out: expected.
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"stop took {watch.Elapsed}");
            await Task.Delay(500);
            var written = await Written(factory, key);
            Assert.True(written == (0, 0, 0) || written == (1, 1, 1), $"partly written: {written}");
            Assert.Equal((0, 0, 0), written);
        }
        finally
        {
            await ((IAsyncLifetime)factory).DisposeAsync();
        }
    }
}
