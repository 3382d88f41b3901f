namespace Apportionment.Api.Tests.Budgets;

/// <summary>Cost per unit of activity, so a partnership can show value for money over time.</summary>
public sealed class UnitCostsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Fact]
    public async Task A_month_without_activity_figures_has_no_unit_cost_and_says_why()
    {
        var (a, b) = (ApiSteps.UniqueCode("A"), ApiSteps.UniqueCode("B"));
        await _admin.EnsureCouncilsAsync(a, b);
        var service = ApiSteps.UniqueCode("UC");
        await _admin.CreateServiceAsync(service, a, [a, b], "2025-04");
        await _admin.AgreeAsync(service, ApiSteps.DriverSplit("2025-04", "surveyor-hours", a, b));
        await _admin.PutActivityAsync(
            service,
            "2025-04",
            "surveyor-hours",
            new Dictionary<string, decimal> { [a] = 30m, [b] = 10m });
        await _admin.PutActivityAsync(
            service,
            "2025-06",
            "surveyor-hours",
            new Dictionary<string, decimal> { [a] = 20m, [b] = 30m });
        await _admin.PostCostAsync(service, "2025-04", 400m);
        await _admin.PostCostAsync(service, "2025-05", 500m);
        await _admin.PostCostAsync(service, "2025-06", 1_000m);

        var report = await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/unit-costs/2025-26-Q1");
        Assert.Equal("surveyor-hours", report.Text("driver"));
        var months = report.GetProperty("months").EnumerateArray().ToList();

        Assert.Equal(10.00m, months[0].GetProperty("service").Money("costPerUnit"));      // £400 / 40 hours
        Assert.Equal(20.00m, months[2].GetProperty("service").Money("costPerUnit"));      // £1,000 / 50 hours

        var may = months[1];
        Assert.Equal("2025-05", may.Text("month"));
        Assert.Equal(JsonValueKind.Null, may.GetProperty("service").GetProperty("costPerUnit").ValueKind);
        Assert.Equal(JsonValueKind.Null, may.GetProperty("service").GetProperty("units").ValueKind);
        Assert.Contains("No surveyor-hours figures", may.GetProperty("service").Text("reason"));
        Assert.All(
            may.GetProperty("councils").EnumerateArray(),
            c => Assert.Equal(JsonValueKind.Null, c.GetProperty("cost").GetProperty("costPerUnit").ValueKind));

        // The quarter is costed over the months with figures (£1,400 / 90 hours) and names the month it leaves out.
        var total = report.GetProperty("total");
        Assert.Equal(15.56m, total.Money("costPerUnit"));
        Assert.Contains("2025-05", total.Text("reason"));
        // Each council's share per hour in its own area: A £300 + £400 over 50 hours, B £100 + £600 over 40 hours.
        var councils = report.GetProperty("councils").EnumerateArray()
            .ToDictionary(c => c.Text("council"), c => c.GetProperty("cost"));
        Assert.Equal(14.00m, councils[a].Money("costPerUnit"));
        Assert.Equal(17.50m, councils[b].Money("costPerUnit"));
    }

    [Fact]
    public async Task A_supported_services_unit_cost_counts_its_overheads_and_reconciles_with_the_statements()
    {
        var (a, b) = (ApiSteps.UniqueCode("A"), ApiSteps.UniqueCode("B"));
        await _admin.EnsureCouncilsAsync(a, b);
        var (plan, it) = (ApiSteps.UniqueCode("UCP"), ApiSteps.UniqueCode("UCIT"));
        await _admin.CreateServiceAsync(plan, a, [a, b], "2025-04");
        await _admin.CreateServiceAsync(it, a, [a, b], "2025-04");
        await _admin.AgreeAsync(plan, ApiSteps.DriverSplit("2025-04", "cases", a, b));
        await _admin.AgreeAsync(it, new
        {
            effectiveFrom = "2025-04",
            method = "fixed",
            shares = Array.Empty<object>(),
            supports = new[] { new { service = plan, percent = 100m } },
        });
        var cases = new Dictionary<string, decimal> { [a] = 30m, [b] = 10m };
        await _admin.PutActivityAsync(plan, "2025-05", "cases", cases);
        var tickets = new Dictionary<string, decimal> { [a] = 60m, [b] = 40m };
        await _admin.PutActivityAsync(it, "2025-05", "tickets", tickets);
        await _admin.PostCostAsync(plan, "2025-05", 4_000m);
        await _admin.PostCostAsync(it, "2025-05", 1_001m);

        var report = await _admin.GetJsonAsync($"/api/v1/shared-services/{plan}/unit-costs/2025-05");
        var total = report.GetProperty("total");
        Assert.Equal(5_001m, total.Money("netCost"));                 // £4,000 direct + £1,001 of IT's overheads
        Assert.Equal(125.03m, total.Money("costPerUnit"));            // £5,001 / 40 cases, to the penny
        var councils = report.GetProperty("councils").EnumerateArray()
            .ToDictionary(c => c.Text("council"), c => c.GetProperty("cost"));
        foreach (var council in new[] { a, b })
        {
            var line = (await _admin.StatementAsync(council, "2025-05")).LineFor(plan);
            Assert.Equal(line.Money("direct") + line.Money("overheads"), councils[council].Money("netCost"));
            Assert.Equal(cases[council], councils[council].Money("units"));
        }

        Assert.Equal(3_750.75m, councils[a].Money("netCost"));        // three quarters of £5,001 by cases
        Assert.Equal(125.03m, councils[a].Money("costPerUnit"));

        // IT's own figure is its own cost per ticket: passing its cost on does not make it free.
        var itReport = await _admin.GetJsonAsync($"/api/v1/shared-services/{it}/unit-costs/2025-05");
        Assert.Equal("tickets", itReport.Text("driver"));
        Assert.Equal(1_001m, itReport.GetProperty("total").Money("netCost"));
        Assert.Equal(10.01m, itReport.GetProperty("total").Money("costPerUnit"));
    }
}
