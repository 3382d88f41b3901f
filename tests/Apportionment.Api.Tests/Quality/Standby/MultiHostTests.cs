using System.Diagnostics;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Tests.Quality.Reliability;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace Apportionment.Api.Tests.Quality.Standby;

/// <summary>
/// One connection string naming two hosts, as a deployment with a standby has it: the primary (through a proxy the
/// test can cut) and its streaming standby. Writes go to whichever host is the primary; reads prefer the standby.
/// </summary>
public sealed class MultiHostApiFactory : ApiFactory
{
    private TcpProxy? _proxy;

    public TcpProxy Proxy => _proxy ?? throw new InvalidOperationException("The host has not started yet.");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await StandbyServer.CatchUpAsync(ConnectionString);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        var direct = new NpgsqlConnectionStringBuilder(ConnectionString);
        var standby = new NpgsqlConnectionStringBuilder(StandbyServer.For(ConnectionString));
        _proxy ??= new TcpProxy(direct.Host!, direct.Port);
        builder.UseSetting("ConnectionStrings:Apportionment",
            new NpgsqlConnectionStringBuilder(ConnectionString)
            {
                Host = $"127.0.0.1:{_proxy.Port},{standby.Host}:{standby.Port}"
            }.ConnectionString);
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

[Collection(StandbyCollection.Name)]
public sealed class MultiHostTests(MultiHostApiFactory factory) : IClassFixture<MultiHostApiFactory>
{
    [Fact]
    public async Task
        With_no_primary_a_write_is_503_with_retry_after_while_statements_are_still_read_and_writes_resume_after()
    {
        var s = await Scenario.CreateAsync(factory);
        await s.AgreeFixedSplitAsync();
        var posted = await factory.Admin().PostCostRawAsync(s.Service, "2024-05", 100m);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        await StandbyServer.CatchUpAsync(factory.ConnectionString);

        factory.Proxy.Cut();
        try
        {
            var watch = Stopwatch.StartNew();
            var refused = await factory.Admin()
                .PostCostRawAsync(s.Service, "2024-05", 1m, idempotencyKey: Guid.NewGuid().ToString());
            var problem = await refused.ProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal(ProblemTypes.Unavailable, problem.Text("type"));
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the refusal took {watch.Elapsed}");

            var statement = await factory.Admin().StatementAsync(s.PartnerA, "2024-05");
            Assert.Equal(30m, statement.GetProperty("totals").Money("share"));
        }
        finally
        {
            factory.Proxy.Restore();
        }

        // Npgsql rechecks a host it saw fail within seconds (Host Recheck Seconds 2): the next writes reach it again.
        var retry = Stopwatch.StartNew();
        HttpResponseMessage again;
        do
        {
            again = await factory.Admin().PostCostRawAsync(s.Service, "2024-05", 100m);
        }
        while (again.StatusCode == HttpStatusCode.ServiceUnavailable && retry.Elapsed < TimeSpan.FromSeconds(20));

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        await StandbyServer.CatchUpAsync(factory.ConnectionString);
        Assert.Equal(
            60m,
            (await factory.Admin().StatementAsync(s.PartnerA, "2024-05")).GetProperty("totals").Money("share"));
    }
}
