namespace Apportionment.Api.Tests.Reports;

/// <summary>Savings since a partnership started, as a council's scrutiny committee would ask for them.</summary>
public sealed class CumulativeSavingsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Savings_since_an_October_start_count_baseline_only_from_October()
    {
        var admin = factory.Admin();
        var (a, b) = (ApiSteps.UniqueCode("A"), ApiSteps.UniqueCode("B"));
        await admin.EnsureCouncilsAsync(a, b);
        var service = await admin.ServiceWithFixedSplitAsync("PLAN", "2023-10", (a, 60m), (b, 40m));
        (await admin.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/baselines/{a}",
            new { annualCost = 120_000.00m })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/baselines/{b}",
            new { annualCost = 60_000.00m })).EnsureSuccessStatusCode();
        // £10,000 every month from October 2023 to March 2025: 18 months, each split A 6,000 / B 4,000.
        var month = new DateOnly(2023, 10, 1);
        for (var i = 0; i < 18; i++, month = month.AddMonths(1))
        {
            await admin.PostCostAsync(
                service,
                month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
                10_000.00m);
        }

        // A later year with nothing posted yet adds no baseline, so asking through 2025-26 changes nothing.
        foreach (var to in new[] { "2024-25", "2025-26" })
        {
            var savings = await admin.GetJsonAsync($"/api/v1/shared-services/{service}/savings?to={to}");

            // Baselines: 6 months of 2023-24 (from October) + 12 of 2024-25 = 18 months: A 18 × 10,000, B 18 × 5,000.
            Assert.Equal("2023-10", savings.Text("from"));
            var counted = savings.GetProperty("monthsCounted").EnumerateArray().Select(m => m.GetString()).ToList();
            Assert.Equal(18, counted.Count);
            Assert.Equal(("2023-10", "2025-03"), (counted[0], counted[^1]));
            var councils = savings.GetProperty("councils").EnumerateArray().ToDictionary(c => c.Text("council"));
            Assert.Equal(180_000.00m, councils[a].Money("baseline"));
            Assert.Equal(108_000.00m, councils[a].Money("share"));
            Assert.Equal(72_000.00m, councils[a].Money("saving"));
            Assert.Equal(90_000.00m, councils[b].Money("baseline"));
            Assert.Equal(18_000.00m, councils[b].Money("saving"));
            Assert.Equal(90_000.00m, savings.GetProperty("totals").Money("saving"));
        }
    }

    [Fact]
    public async Task A_year_before_the_partnership_began_is_refused_naming_to()
    {
        var admin = factory.Admin();
        var (a, b) = (ApiSteps.UniqueCode("A"), ApiSteps.UniqueCode("B"));
        await admin.EnsureCouncilsAsync(a, b);
        var service = await admin.ServiceWithFixedSplitAsync("IT", "2024-04", (a, 50m), (b, 50m));

        await (await admin.GetAsync($"/api/v1/shared-services/{service}/savings?to=2022-23")).ProblemAsync(
            HttpStatusCode.BadRequest,
            "to");
        await (await admin.GetAsync($"/api/v1/shared-services/{service}/savings?to=2024-13")).ProblemAsync(
            HttpStatusCode.BadRequest,
            "to");
    }
}
