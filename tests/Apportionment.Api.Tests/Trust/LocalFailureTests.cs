using Apportionment.Api.Infrastructure.Security;
using Apportionment.Api.Tests.Budgets;
using static Apportionment.Api.Tests.Infrastructure.ApiSteps;

namespace Apportionment.Api.Tests.Trust;

/// <summary>
/// A support service that cannot be apportioned takes out only the services it feeds: the council's other lines stay,
/// in its statement, its savings and its budget monitoring, and the answer names what was left out and why.
/// </summary>
public sealed class LocalFailureTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Fact]
    public async Task An_unapportionable_support_service_removes_only_the_service_it_feeds()
    {
        var councils = await _admin.NewCouncilsAsync("ME", "PART");
        var (me, partner) = (councils[0], councils[1]);
        var (fed, healthy, plain) = (UniqueCode("FED"), UniqueCode("HLT"), UniqueCode("PLN"));
        foreach (var service in new[] { fed, healthy, plain })
        {
            await _admin.CreateServiceAsync(service, me, councils, "2025-04");
            await _admin.AgreeAsync(service, FixedSplit("2025-04", (me, 50m), (partner, 50m)));
            await _admin.PostCostAsync(service, "2025-05", 1_000m, me);
            await _admin.PutBudgetAsync(service, "2025-26", 12_000m, "flat");
        }

        // One support service by a driver nobody has reported, feeding one service; another, healthy, feeding another.
        var (broken, fine) = (UniqueCode("BRK"), UniqueCode("OK"));
        await _admin.CreateServiceAsync(broken, me, councils, "2025-04");
        await _admin.CreateServiceAsync(fine, me, councils, "2025-04");
        await _admin.AgreeAsync(broken,
            new
            {
                effectiveFrom = "2025-04",
                method = "driver",
                driver = "tickets",
                councils = Array.Empty<string>(),
                supports = new[] { new { service = fed } }
            });
        await _admin.AgreeAsync(fine, new
        {
            effectiveFrom = "2025-04",
            method = "fixed",
            shares = Array
            .Empty<object>(),
            supports = new[] { new { service = healthy, percent = 100m } }
        });
        await _admin.PostCostAsync(broken, "2025-05", 300m, me);
        await _admin.PostCostAsync(fine, "2025-05", 200m, me);
        var key = await factory.CouncilClient(me, Scopes.StatementsRead);

        var statement = await key.StatementAsync(me, "2025-26");
        Assert.Equal(600m, statement.LineFor(healthy).Money("share"));
        Assert.Equal(500m, statement.LineFor(plain).Money("share"));
        Assert.DoesNotContain(statement.GetProperty("lines").EnumerateArray(), l => l.Text("service") == fed);
        var gap = Assert.Single(statement.GetProperty("unapportioned").EnumerateArray());
        Assert.Equal((broken, "2025-05"), (gap.Text("service"), gap.Text("month")));
        // Left out: the support service itself and the one service it feeds, nothing else.
        var leftOut = new[] { broken, fed }.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(leftOut, gap.GetProperty("leftOut").EnumerateArray().Select(s => s.GetString()));

        var savings = await key.GetJsonAsync($"/api/v1/councils/{me}/savings/2025-26");
        Assert.Equal(new[] { healthy, plain }.Order(StringComparer.Ordinal),
            savings.GetProperty("services").EnumerateArray().Where(s => s.Text("service") != fine)
                .Select(s => s.Text("service"))
                .Order(StringComparer.Ordinal));
        Assert.Equal(leftOut, Assert.Single(savings.GetProperty("unapportioned").EnumerateArray())
            .GetProperty("leftOut")
            .EnumerateArray()
            .Select(s => s.GetString()));

        var monitoring = await key.GetJsonAsync($"/api/v1/councils/{me}/budget-monitoring/2025-26");
        var lines = monitoring.GetProperty("services").EnumerateArray().ToDictionary(l => l.Text("service"));
        Assert.Equal((600m, 500m), (lines[healthy].Money("actualShare"), lines[plain].Money("actualShare")));
        Assert.False(lines.ContainsKey(fed));
        Assert.Equal(leftOut, Assert.Single(monitoring.GetProperty("unapportioned").EnumerateArray())
            .GetProperty("leftOut")
            .EnumerateArray()
            .Select(s => s.GetString()));

        // The supported service's own monitoring counts the overheads it received, as its statement lines do.
        var own = await _admin.MonitoringAsync(healthy, "2025-26");
        Assert.Equal(1_200m, own.Money("actualToDate"));
        await (await _admin.GetAsync($"/api/v1/shared-services/{fed}/budget-monitoring/2025-26")).ProblemAsync(
            HttpStatusCode.UnprocessableEntity);
    }
}
