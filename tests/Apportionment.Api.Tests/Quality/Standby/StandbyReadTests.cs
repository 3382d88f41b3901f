using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Tests.Quality.Reliability;
using Microsoft.AspNetCore.Hosting;

namespace Apportionment.Api.Tests.Quality.Standby;

/// <summary>
/// The service with a second connection string for reads, pointing at the test server's streaming standby.
/// </summary>
public sealed class StandbyApiFactory : ApiFactory
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // The class's database was just created on the primary: let the standby have it before anything reads there.
        await StandbyServer.CatchUpAsync(ConnectionString);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting(
            $"ConnectionStrings:{LedgerDataSources.ReadConnectionStringName}",
            StandbyServer.For(ConnectionString));
        builder.UseSetting("Database:ReadAfterWriteWaitMilliseconds", "100");
    }
}

/// <summary>
/// Statements, reports and exports are read from the standby, which may lag the primary; a read sent with the
/// Read-After-Lsn a write answered sees that write. The standby's replay is paused to make the lag certain.
/// </summary>
[Collection(StandbyCollection.Name)]
public sealed class StandbyReadTests(StandbyApiFactory factory) : IClassFixture<StandbyApiFactory>
{
    private const string Header = ReadAfterWriteMiddleware.Header;

    /// <summary>Every successful write answers with the position to read after.</summary>
    private static string PositionOf(HttpResponseMessage write) => Assert.Single(write.Headers.GetValues(Header));

    private async Task<decimal> ShareAsync(Scenario s, string? readAfter = null)
    {
        using var request = new HttpRequestMessage(
            HttpMethod.Get,
            $"/api/v1/councils/{s.PartnerA}/recharge-statements/2024-05");
        if (readAfter is not null)
        {
            request.Headers.Add(Header, readAfter);
        }

        var statement = await (await factory.Admin().SendAsync(request)).JsonAsync(HttpStatusCode.OK);
        return statement.GetProperty("totals").Money("share");
    }

    [Fact]
    public async Task A_statement_comes_from_the_standby_and_one_read_after_a_posting_or_a_month_close_sees_it()
    {
        var s = await Scenario.CreateAsync(factory);
        await s.AgreeFixedSplitAsync();
        var first = await factory.Admin().PostCostRawAsync(s.Service, "2024-05", 100m);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(30m, await ShareAsync(s, PositionOf(first)));

        // The read above may have gone to the primary: the standby must hold the set-up before its replay is paused.
        await StandbyServer.CatchUpAsync(factory.ConnectionString);
        await StandbyServer.PauseReplayAsync();
        try
        {
            var second = await factory.Admin().PostCostRawAsync(s.Service, "2024-05", 100m);
            Assert.Equal(HttpStatusCode.Created, second.StatusCode);

            // The standby has not replayed the second posting: a plain read shows the statement as it was...
            Assert.Equal(30m, await ShareAsync(s));
            // ...and a read after the posting waits briefly for the standby, then reads the primary.
            Assert.Equal(60m, await ShareAsync(s, PositionOf(second)));

            await (await s.CloseAsync("2024-04")).JsonAsync(HttpStatusCode.OK);
            var close = await s.CloseAsync("2024-05");
            var closedAt = (await close.JsonAsync(HttpStatusCode.OK)).GetProperty("closedAt").GetDateTimeOffset();

            using var issued = new HttpRequestMessage(
                HttpMethod.Get,
                $"/api/v1/councils/{s.PartnerA}/recharge-statements/2024-05");
            issued.Headers.Add(Header, PositionOf(close));
            var statement = await (await factory.Admin().SendAsync(issued)).JsonAsync(HttpStatusCode.OK);
            // Dated by the close, as PostgreSQL stored it (to the microsecond).
            Assert.Equal(closedAt.Ticks / 10, statement.GetProperty("generatedAt").GetDateTimeOffset().Ticks / 10);
            Assert.Equal(60m, statement.GetProperty("totals").Money("share"));
        }
        finally
        {
            await StandbyServer.ResumeReplayAsync();
        }

        await StandbyServer.CatchUpAsync(factory.ConnectionString);
        Assert.Equal(60m, await ShareAsync(s));
    }

    [Fact]
    public async Task Writes_go_to_the_primary_even_while_the_standby_lags()
    {
        var s = await Scenario.CreateAsync(factory);
        await s.AgreeFixedSplitAsync();
        await StandbyServer.PauseReplayAsync();
        try
        {
            var posted = await factory.Admin().PostCostAsync(s.Service, "2024-05", 10m);
            var id = posted.GetProperty("id").GetGuid();
            // The posting itself (not a report) is read from the primary: found at once.
            var fetched = await factory.Admin().GetJsonAsync($"/api/v1/costs/{id}");
            Assert.Equal(10m, fetched.Money("amount"));
        }
        finally
        {
            await StandbyServer.ResumeReplayAsync();
        }
    }

    [Fact]
    public async Task A_read_after_position_that_is_not_one_is_400_naming_the_header()
    {
        var s = await Scenario.CreateAsync(factory);
        using var request = new HttpRequestMessage(
            HttpMethod.Get,
            $"/api/v1/councils/{s.PartnerA}/recharge-statements/2024-05");
        request.Headers.Add(Header, "yesterday");
        await (await factory.Admin().SendAsync(request)).ProblemAsync(HttpStatusCode.BadRequest, Header);
    }
}

/// <summary>One database, no read connection string: the service behaves as it always has.</summary>
public sealed class OneDatabaseReadTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Writes_answer_no_read_position_and_reads_ignore_one()
    {
        var s = await Scenario.CreateAsync(factory);
        await s.AgreeFixedSplitAsync();
        var posted = await factory.Admin().PostCostRawAsync(s.Service, "2024-05", 100m);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        Assert.False(posted.Headers.Contains(ReadAfterWriteMiddleware.Header));

        using var request = new HttpRequestMessage(
            HttpMethod.Get,
            $"/api/v1/councils/{s.PartnerA}/recharge-statements/2024-05");
        request.Headers.Add(ReadAfterWriteMiddleware.Header, "0/FFFFFFFF");
        var statement = await (await factory.Admin().SendAsync(request)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(30m, statement.GetProperty("totals").Money("share"));
    }
}

[CollectionDefinition(Name)]
public sealed class StandbyCollection
{
    /// <summary>The standby is shared and its replay paused by some tests: its classes run one at a time.</summary>
    public const string Name = "standby";
}
