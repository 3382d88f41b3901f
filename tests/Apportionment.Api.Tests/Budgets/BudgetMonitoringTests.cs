using System.Net.Http.Headers;

namespace Apportionment.Api.Tests.Budgets;

/// <summary>
/// Monitoring as a cabinet report shows it: budget, spent to date, forecast outturn, variance and shares.
/// </summary>
public sealed class BudgetMonitoringTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Fact]
    public async Task The_forecast_is_actual_to_date_plus_the_remaining_budget_across_an_agreement_change()
    {
        var (a, b) = (ApiSteps.UniqueCode("A"), ApiSteps.UniqueCode("B"));
        var service = await _admin.ServiceWithFixedSplitAsync("MON", "2025-04", (a, 60m), (b, 40m));
        await _admin.AgreeAsync(service, ApiSteps.FixedSplit("2025-07", (a, 50m), (b, 50m)));
        await _admin.PutBudgetAsync(service, "2025-26", 12_000m, "flat");
        foreach (var (month, amount) in new[] {
            ("2025-04", 1_100m),
            ("2025-05", 900m),
            ("2025-06", 1_000m),
            ("2025-07", 1_300m),
            ("2025-08", 1_000m) })
        {
            await _admin.PostCostAsync(service, month, amount);
        }

        // As of August (the latest month posted): £5,000 profiled, £5,300 spent, seven months of £1,000 still to come.
        var m = await _admin.MonitoringAsync(service, "2025-26");
        Assert.Equal("2025-08", m.Text("asOf"));
        Assert.Equal(12_000.00m, m.Money("budget"));
        Assert.Equal(5_000.00m, m.Money("profiledBudgetToDate"));
        Assert.Equal(5_300.00m, m.Money("actualToDate"));
        Assert.Equal(300.00m, m.Money("varianceToDate"));
        Assert.Equal(12_300.00m, m.Money("forecastOutturn"));
        Assert.Equal(300.00m, m.Money("forecastVariance"));
        Assert.Equal("over", m.Text("status")); // 2.5% of the budget, beyond the default 2%

        // Budget: Apr–Jun at 60/40 (1,800/1,200), Jul–Mar at 50/50 (4,500 each). Actual: 3,000 at 60/40, 2,300 at
        // 50/50.
        var councils = m.ByCouncil();
        Assert.Equal(6_300.00m, councils[a].Money("budgetShare"));
        Assert.Equal(5_700.00m, councils[b].Money("budgetShare"));
        Assert.Equal(2_950.00m, councils[a].Money("actualShare"));
        Assert.Equal(2_350.00m, councils[b].Money("actualShare"));
        Assert.Equal(6_450.00m, councils[a].Money("forecastShare"));
        Assert.Equal(5_850.00m, councils[b].Money("forecastShare"));

        var june = await _admin.MonitoringAsync(service, "2025-26", "2025-06");
        Assert.Equal(0.00m, june.Money("varianceToDate"));
        Assert.Equal(12_000.00m, june.Money("forecastOutturn"));
        Assert.Equal("on-track", june.Text("status"));
        await (await _admin.GetAsync($"/api/v1/shared-services/{service}/budget-monitoring/2025-26?asOf=2026-04"))
            .ProblemAsync(HttpStatusCode.BadRequest, "asOf");
    }

    [Fact]
    public async Task Budget_shares_add_up_to_the_budget_with_an_odd_penny()
    {
        var councils = await _admin.NewCouncilsAsync("A", "B", "C");
        var service = ApiSteps.UniqueCode("ODD");
        await _admin.CreateServiceAsync(service, councils[0], councils, "2025-04");
        await _admin.AgreeAsync(service, ApiSteps.EqualSplit("2025-04", councils));
        await _admin.PutBudgetAsync(service, "2025-26", 100.01m, "flat");

        // Five months of £8.34 split £2.78 each; seven of £8.33 split 2.78/2.78/2.77, the spare penny to the first
        // codes.
        var m = await _admin.MonitoringAsync(service, "2025-26");
        var shares = m.ByCouncil();
        Assert.Equal(33.36m, shares[councils[0]].Money("budgetShare"));
        Assert.Equal(33.36m, shares[councils[1]].Money("budgetShare"));
        Assert.Equal(33.29m, shares[councils[2]].Money("budgetShare"));
        Assert.Equal(m.Money("budget"), shares.Values.Sum(s => s.Money("budgetShare")));
        Assert.Equal(m.Money("forecastOutturn"), shares.Values.Sum(s => s.Money("forecastShare")));
        Assert.False(m.TryGetProperty("asOf", out _)); // nothing posted yet: no months to date
    }

    [Fact]
    public async Task A_council_key_sees_only_its_own_councils_monitoring()
    {
        var (a, b, c) = (ApiSteps.UniqueCode("A"), ApiSteps.UniqueCode("B"), ApiSteps.UniqueCode("C"));
        var shared = await _admin.ServiceWithFixedSplitAsync("AB", "2025-04", (a, 70m), (b, 30m));
        var other = await _admin.ServiceWithFixedSplitAsync("BC", "2025-04", (b, 50m), (c, 50m));
        await _admin.PutBudgetAsync(shared, "2025-26", 10_000m, "flat");
        await _admin.PutBudgetAsync(other, "2025-26", 4_000m, "flat");
        await _admin.PostCostAsync(shared, "2025-04", 1_000m);
        await _admin.PostCostAsync(other, "2025-04", 500m);
        await _admin.SetTargetAsync(shared, 10m, "2025-26");
        var aKey = await factory.CouncilClient(a, "statements:read");

        var mine = await aKey.GetJsonAsync($"/api/v1/councils/{a}/budget-monitoring/2025-26");
        var line = Assert.Single(mine.GetProperty("services").EnumerateArray());
        Assert.Equal(shared, line.Text("service"));
        Assert.Equal(10_000.00m, line.Money("target"));
        Assert.Equal(7_000.00m, line.Money("budgetShare"));
        Assert.Equal(700.00m, line.Money("actualShare"));
        // April's budget is £833.34 (the spare pence go to the first months), of which 70% is £583.34 by largest
        // remainder.
        Assert.Equal(7_000.00m - 583.34m + 700.00m, line.Money("forecastShare"));
        Assert.Equal(line.Money("forecastShare"), mine.GetProperty("totals").Money("forecastShare"));

        await (await aKey.GetAsync($"/api/v1/councils/{b}/budget-monitoring/2025-26")).ProblemAsync(
            HttpStatusCode.Forbidden);
        // A service it does not belong to answers as if it did not exist.
        await (await aKey.GetAsync($"/api/v1/shared-services/{other}/budget-monitoring/2025-26")).ProblemAsync(
            HttpStatusCode.NotFound);

        // B belongs to both: its totals add its two shares. Half of each £333.33 month is £166.665, and B's code sorts
        // before C's, so B takes the spare penny in each of the eight such months: £2,000.04 of the £4,000.
        var bMonitoring = await _admin.GetJsonAsync($"/api/v1/councils/{b}/budget-monitoring/2025-26");
        Assert.Equal([3_000.00m, 2_000.04m], bMonitoring.GetProperty("services").EnumerateArray()
            .OrderBy(l => l.Text("service"), StringComparer.Ordinal)
            .Select(l => l.Money("budgetShare")));
        Assert.Equal(5_000.04m, bMonitoring.GetProperty("totals").Money("budgetShare"));
    }

    [Fact]
    public async Task Monitoring_comes_as_csv_with_an_etag_and_answers_304_while_unchanged()
    {
        var (a, b) = (ApiSteps.UniqueCode("A"), ApiSteps.UniqueCode("B"));
        var service = await _admin.ServiceWithFixedSplitAsync("CSV", "2025-04", (a, 50m), (b, 50m));
        await _admin.PutBudgetAsync(service, "2025-26", 2_400m, "flat");
        await _admin.PostCostAsync(service, "2025-04", 250m);
        var url = $"/api/v1/shared-services/{service}/budget-monitoring/2025-26";

        var csv = await _admin.SendAsync(ApiSteps.AcceptCsv(url));
        var text = await csv.Content.ReadAsStringAsync();
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"{service},2025-26,2025-04,TOTAL,2400.00,,200.00,250.00,50.00,2450.00,50.00,over", text);

        var etag = (await _admin.GetAsync(url)).Headers.ETag!;
        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await _admin.SendAsync(again)).StatusCode);

        await _admin.PostCostAsync(service, "2025-04", -50m);
        using var changed = new HttpRequestMessage(HttpMethod.Get, url);
        changed.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.OK, (await _admin.SendAsync(changed)).StatusCode);
    }
}
