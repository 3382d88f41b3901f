using System.Diagnostics;
using Apportionment.Api.Infrastructure.Errors;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace Apportionment.Api.Tests.Quality.Reliability;

/// <summary>The app's database connection goes through a proxy the test can cut.</summary>
public sealed class ProxiedApiFactory : ApiFactory
{
    private TcpProxy? _proxy;

    public TcpProxy Proxy => _proxy ?? throw new InvalidOperationException("The host has not started yet.");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        var direct = new NpgsqlConnectionStringBuilder(ConnectionString);
        _proxy ??= new TcpProxy(direct.Host!, direct.Port);
        builder.UseSetting("ConnectionStrings:Apportionment", new NpgsqlConnectionStringBuilder(ConnectionString)
        {
            Host = "127.0.0.1",
            Port = _proxy.Port
        }.ConnectionString);
    }

    /// <summary>Reads the database directly, not through the proxy.</summary>
    public async Task<long> DirectCountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}

/// <summary>
/// PostgreSQL outages: fast 503 problem+json with Retry-After, readiness follows, recovery without restart.
/// </summary>
public sealed class FaultTests(ProxiedApiFactory factory) : IClassFixture<ProxiedApiFactory>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private async Task<List<(string What, HttpResponseMessage Response, TimeSpan Took)>> HitEverything(
        Scenario s,
        Guid posting)
    {
        var admin = factory.Admin();
        admin.Timeout = TimeSpan.FromSeconds(30);
        var calls = new (string, Func<Task<HttpResponseMessage>>)[]
        {
            ("post cost", () => admin.PostAsJsonAsync(
                $"/api/v1/shared-services/{s.Service}/costs",
                new { month = "2024-06", amount = 1m, category = "staff" })),
            ("post cost with key", () =>
            {
                var r = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/shared-services/{s.Service}/costs") {
                    Content = JsonContent.Create(new { month = "2024-06", amount = 2m, category = "staff" }) };
                r.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
                return admin.SendAsync(r);
            }),
            ("reverse", () => admin.PostAsJsonAsync($"/api/v1/costs/{posting}/reversal", new { reason = "outage" })),
            ("activity", () => admin.PutAsJsonAsync(
                $"/api/v1/shared-services/{s.Service}/activity/2024-06",
                new { driver = "cases", quantities = new Dictionary<string, decimal> { [s.Host] = 1 } })),
            ("close", () => s.CloseAsync("2024-09")),
            ("apportionment", () => admin.GetAsync($"/api/v1/shared-services/{s.Service}/apportionments/2024-25")),
            ("costs", () => admin.GetAsync($"/api/v1/shared-services/{s.Service}/costs")),
            ("statement", () => admin.GetAsync($"/api/v1/councils/{s.PartnerA}/recharge-statements/2024-05")),
        };
        return (await Task.WhenAll(calls.Select(async c =>
        {
            var watch = Stopwatch.StartNew();
            var response = await c.Item2();
            return (c.Item1, response, watch.Elapsed);
        }))).ToList();
    }

    private static async Task AssertAllUnavailable(
        List<(string What, HttpResponseMessage Response, TimeSpan Took)> results)
    {
        foreach (var (what, response, took) in results)
        {
            Assert.True(took < Bound, $"{what} took {took}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(
                response.StatusCode == HttpStatusCode.ServiceUnavailable,
                $"{what}: {(int)response.StatusCode} {body}");
            var problem = await Scenario.Problem(response, HttpStatusCode.ServiceUnavailable);
            Assert.Equal(ProblemTypes.Unavailable, problem.GetProperty("type").GetString());
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"{what} has no Retry-After");
        }
    }

    private async Task AssertReadyAgainAndWorking(Scenario s)
    {
        var client = factory.CreateClient();
        var watch = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            status = (await client.GetAsync("/health/ready")).StatusCode;
        }
        while (status != HttpStatusCode.OK && watch.Elapsed < TimeSpan.FromSeconds(20));

        Assert.Equal(HttpStatusCode.OK, status);
        await s.PostCostAsync("2024-07", 42m);
        Assert.Equal(
            HttpStatusCode.OK,
            (await factory.Admin().GetAsync($"/api/v1/shared-services/{s.Service}/apportionments/2024-07")).StatusCode);
    }

    [Theory]
    [InlineData("cut")]
    [InlineData("blackhole")]
    public async Task
        While_postgresql_is_unreachable_requests_get_503_with_retry_after_within_10_seconds_and_the_service_recovers(
            string outage)
    {
        var s = await Scenario.CreateAsync(factory);
        await s.AgreeFixedSplitAsync();
        var posting = (await s.PostCostAsync("2024-05", 10m)).GetProperty("id").GetGuid();
        var postings = await factory.DirectCountAsync("select count(*) from cost_postings");
        var audit = await factory.DirectCountAsync("select count(*) from audit_events");

        if (outage == "cut")
        {
            factory.Proxy.Cut();
        }
        else
        {
            factory.Proxy.Blackhole();
        }

        try
        {
            var watch = Stopwatch.StartNew();
            var ready = await factory.CreateClient().GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.True(watch.Elapsed < Bound, $"/health/ready took {watch.Elapsed}");
            Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/health/live")).StatusCode);

            await AssertAllUnavailable(await HitEverything(s, posting));
        }
        finally
        {
            factory.Proxy.Restore();
        }

        Assert.Equal(postings, await factory.DirectCountAsync("select count(*) from cost_postings"));
        Assert.Equal(audit, await factory.DirectCountAsync("select count(*) from audit_events"));
        await AssertReadyAgainAndWorking(s);
    }
}
