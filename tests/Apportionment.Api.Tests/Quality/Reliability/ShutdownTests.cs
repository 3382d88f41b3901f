using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Apportionment.Api.Tests.Quality.Reliability;

/// <summary>
/// Test-only hold: the next cost posting's INSERT waits, inside its transaction, on a lock another session takes on
/// the ledger, until <see cref="ArmAsync"/>'s delay has passed since it began to wait. (The posting is written as a raw
/// Npgsql batch, which EF Core's command interceptors never see.)
/// </summary>
public sealed class SlowPostingHold
{
    private TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string ConnectionString { get; set; } = "";

    public Task Entered => _entered.Task;

    public async Task ArmAsync(TimeSpan delay)
    {
        _entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = _entered;
        var locked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = HoldAsync(delay, entered, locked);
        await locked.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private async Task HoldAsync(TimeSpan delay, TaskCompletionSource entered, TaskCompletionSource locked)
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var lockLedger = new NpgsqlCommand(
                "lock table cost_postings in exclusive mode", connection, transaction))
            {
                await lockLedger.ExecuteNonQueryAsync();
            }

            locked.TrySetResult();
            await using var waiting = new NpgsqlConnection(ConnectionString);
            await waiting.OpenAsync();
            await using var check = new NpgsqlCommand(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
                + "and query ilike 'insert into cost_postings%' and datname = current_database()",
                waiting);
            while ((long)(await check.ExecuteScalarAsync())! == 0)
            {
                await Task.Delay(20);
            }

            entered.TrySetResult();
            await Task.Delay(delay);
            await transaction.RollbackAsync();
        }
        catch (Exception e)
        {
            // The database is dropped (with force) at the end of a test that gave up waiting.
            locked.TrySetResult();
            entered.TrySetException(e);
        }
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

    public SlowPostingHold Hook { get; } = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Hook.ConnectionString = ConnectionString;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting(
            "Shutdown:TimeoutSeconds",
            _shutdownSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
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
            // Under the 3 s command timeout, which a longer wait on the lock would run into.
            await factory.Hook.ArmAsync(TimeSpan.FromSeconds(2));
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
            await factory.Hook.ArmAsync(TimeSpan.FromSeconds(30));
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
