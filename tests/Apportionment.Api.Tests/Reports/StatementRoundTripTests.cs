using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace Apportionment.Api.Tests.Reports;

/// <summary>
/// A statement's latency is one round trip to PostgreSQL, however many services, support services and agreements it
/// covers: its reads go as one batch, not one query per table.
/// </summary>
public sealed class StatementRoundTripTests(StatementRoundTripTests.Factory factory)
    : IClassFixture<StatementRoundTripTests.Factory>
{
    private readonly HttpClient _admin = factory.Admin();

    /// <summary>
    /// Without the webhook dispatcher, whose poll of the same database every second could land among the commands
    /// counted while the statement is read.
    /// </summary>
    public sealed class Factory : ApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Webhooks:DispatcherEnabled", "false");
        }
    }

    [Fact]
    public async Task A_statement_sends_one_batch_that_brings_its_services_support_services_and_activity()
    {
        var (a, b, c) = (ApiSteps.UniqueCode("A"), ApiSteps.UniqueCode("B"), ApiSteps.UniqueCode("C"));
        await _admin.EnsureCouncilsAsync(c);
        var plan = await _admin.ServiceWithFixedSplitAsync("PLAN", "2024-04", (a, 60m), (b, 40m));
        await _admin.PostCostAsync(plan, "2024-05", 1_000m, a);
        // B is not a member of IT: IT's cost reaches B's statement only through the support agreement.
        var it = ApiSteps.UniqueCode("IT");
        await _admin.CreateServiceAsync(it, a, [a, c]);
        await _admin.AgreeAsync(it, new
        {
            effectiveFrom = "2024-04",
            method = "fixed",
            shares = Array
            .Empty<object>(),
            supports = new[] { new { service = plan, percent = 100m } }
        });
        await _admin.PostCostAsync(it, "2024-05", 500m, a);
        var driven = ApiSteps.UniqueCode("DRV");
        await _admin.CreateServiceAsync(driven, a, [a, b]);
        await _admin.AgreeAsync(driven, ApiSteps.DriverSplit("2024-04", "cases", a, b));
        await _admin.PutActivityAsync(
            driven,
            "2024-05",
            "cases",
            new Dictionary<string, decimal> { [a] = 1m, [b] = 3m });
        await _admin.PostCostAsync(driven, "2024-05", 400m, a);

        using var sent = new CommandsSent(factory.ConnectionString);
        var statement = await _admin.StatementAsync(b, "2024-05");

        Assert.Single(sent.Commands);
        var planLine = statement.LineFor(plan);
        Assert.Equal(
            (400m, 200m, 600m),
            (planLine.Money("direct"), planLine.Money("overheads"), planLine.Money("share")));
        Assert.Equal(300m, statement.LineFor(driven).Money("share"));
        Assert.Equal(900m, statement.GetProperty("totals").Money("share"));
    }

    /// <summary>What Npgsql executes against the class's database while it is alive (a batch is one command).</summary>
    private sealed class CommandsSent : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<string> _commands = new();

        public CommandsSent(string connectionString)
        {
            var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    // Other test classes run at the same time, each against its own database.
                    if (Equals(activity.GetTagItem("db.namespace"), database))
                    {
                        _commands.Enqueue($"{activity.DisplayName}: {activity.GetTagItem("db.query.text")}");
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyCollection<string> Commands => [.. _commands];

        public void Dispose() => _listener.Dispose();
    }
}
