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
}
