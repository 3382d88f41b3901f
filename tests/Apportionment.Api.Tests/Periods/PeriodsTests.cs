namespace Apportionment.Api.Tests.Periods;

public sealed class PeriodsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Fact]
    public async Task A_closed_month_refuses_postings_activity_and_agreements_and_its_figures_stand()
    {
        var (service, host, partner) = await Service();
        await _admin.PostCostAsync(service, "2024-05", 500m);
        await _admin.CloseThroughAsync(service, "2024-04");
        var closed = await (await _admin.PostAsync($"/api/v1/shared-services/{service}/periods/2024-05/close", null))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("2024-05", true), (closed.Text("month"), closed.GetProperty("closed").GetBoolean()));

        var problem = await (await _admin.PostCostRawAsync(service, "2024-05", 1m)).ProblemAsync(
            HttpStatusCode.Conflict);
        Assert.Contains("2024-05", problem.Text("detail"));
        await (await _admin.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/activity/2024-05",
            new { driver = "hours", quantities = new Dictionary<string, decimal> { [host] = 1m } }))
            .ProblemAsync(HttpStatusCode.Conflict);
        await (await _admin.PostAsJsonAsync(
            $"/api/v1/shared-services/{service}/agreements",
            ApiSteps.EqualSplit("2024-05", host, partner))).ProblemAsync(HttpStatusCode.Conflict);
        await (await _admin.PostAsync($"/api/v1/shared-services/{service}/periods/2024-05/close", null)).ProblemAsync(
            HttpStatusCode.Conflict);

        // The next month is still open.
        await _admin.PostCostAsync(service, "2024-06", 1m);
        Assert.Equal(500.00m, (await _admin.ApportionmentAsync(service, "2024-05")).Money("netCost"));
    }

    [Fact]
    public async Task An_agreement_cannot_come_into_force_over_a_closed_month()
    {
        var (service, host, partner) = await Service();
        await _admin.PostCostAsync(service, "2024-06", 1000m);
        var proposed = await _admin.ProposeAsync(service, ApiSteps.FixedSplit("2024-06", (host, 90m), (partner, 10m)));
        await _admin.CloseThroughAsync(service, "2024-06");

        // June's statements went out at 50/50; the last approval must not rewrite them to 90/10.
        await (await _admin.ApproveAsync(service, proposed, host)).JsonAsync(HttpStatusCode.OK);
        await (await _admin.ApproveAsync(service, proposed, partner)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(500.00m, (await _admin.ApportionmentAsync(service, "2024-06")).Allocations()[host]);

        // Nor may a proposal from an open month before it reach into the closed month.
        await (await _admin.PostAsJsonAsync(
            $"/api/v1/shared-services/{service}/agreements",
            ApiSteps.FixedSplit("2024-05", (host, 90m), (partner, 10m))))
            .ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(500.00m, (await _admin.ApportionmentAsync(service, "2024-06")).Allocations()[host]);
    }

    [Fact]
    public async Task Reversing_a_posting_in_a_closed_month_lands_in_the_next_open_month()
    {
        var (service, _, _) = await Service();
        var original = await _admin.PostCostAsync(service, "2024-05", 80m);
        await _admin.CloseThroughAsync(service, "2024-06");

        var reversal = await _admin.PostJsonAsync(
            $"/api/v1/costs/{original.Text("id")}/reversal",
            new { reason = "Duplicate invoice" });
        Assert.Equal("2024-07", reversal.Text("month"));
        Assert.Equal(80.00m, (await _admin.ApportionmentAsync(service, "2024-05")).Money("netCost"));
        Assert.Equal(-80.00m, (await _admin.ApportionmentAsync(service, "2024-07")).Money("netCost"));
    }

    [Fact]
    public async Task The_period_list_shows_open_and_closed_months()
    {
        var (service, _, _) = await Service();
        await _admin.CloseThroughAsync(service, "2024-05");
        var q1 = (await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/periods?period=2024-25-Q1"))
            .GetProperty("items")
            .EnumerateArray()
            .Select(p => (p.Text("month"), p.GetProperty("closed").GetBoolean()))
            .ToArray();
        Assert.Equal(new[] { ("2024-04", true), ("2024-05", true), ("2024-06", false) }, q1);

        var all = (await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/periods")).GetProperty("items")
            .EnumerateArray()
            .ToList();
        Assert.Equal("2024-04", all[0].Text("month"));
        Assert.True(all.Single(p => p.Text("month") == "2024-05").GetProperty("closed").GetBoolean());
    }

    [Fact]
    public async Task Only_the_host_may_close_a_month()
    {
        var (service, _, partner) = await Service();
        var partnerKey = await factory.CouncilClient(partner, "costs:write", "statements:read");
        await (await partnerKey.PostAsync($"/api/v1/shared-services/{service}/periods/2024-05/close", null))
            .ProblemAsync(HttpStatusCode.Forbidden);
        await (await _admin.PostAsync($"/api/v1/shared-services/{service}/periods/2024-13/close", null)).ProblemAsync(
            HttpStatusCode.BadRequest,
            "month");
    }

    private async Task<(string Service, string Host, string Partner)> Service()
    {
        var codes = await _admin.NewCouncilsAsync("H", "P");
        var service = ApiSteps.UniqueCode("PER");
        await _admin.CreateServiceAsync(service, codes[0], codes);
        await _admin.AgreeAsync(service, ApiSteps.FixedSplit("2024-04", (codes[0], 50m), (codes[1], 50m)));
        return (service, codes[0], codes[1]);
    }
}
