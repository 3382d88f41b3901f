namespace Apportionment.Api.Tests.Activity;

public sealed class ActivityTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Fact]
    public async Task A_new_return_replaces_the_months_figures_and_history_is_newest_first()
    {
        var (service, a, b) = await DriverService();
        var first = await _admin.PutActivityAsync(
            service,
            "2024-06",
            "hours",
            new Dictionary<string, decimal> { [a] = 100m, [b] = 300m });
        var second = await _admin.PutActivityAsync(
            service,
            "2024-06",
            "hours",
            new Dictionary<string, decimal> { [a] = 300m, [b] = 100m });
        Assert.Equal("2024-06", second.Text("month"));

        var history = (await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/activity/2024-06")).GetProperty(
            "items").EnumerateArray().ToList();
        Assert.Equal(
            [second.GetProperty("id").GetInt64(), first.GetProperty("id").GetInt64()],
            history.Select(h => h.GetProperty("id").GetInt64()));
        Assert.Equal(300m, history[0].GetProperty("quantities").GetProperty(a).GetDecimal());

        // The latest figures are the ones used: a gets 300/400 of £1,000.
        await _admin.PostCostAsync(service, "2024-06", 1000m);
        Assert.Equal(750m, (await _admin.ApportionmentAsync(service, "2024-06")).Allocations()[a]);
    }

    [Fact]
    public async Task A_figure_for_a_council_outside_the_service_is_400_naming_quantities()
    {
        var (service, a, _) = await DriverService();
        var outsider = (await _admin.NewCouncilsAsync("OUT"))[0];
        var response = await _admin.PutAsJsonAsync($"/api/v1/shared-services/{service}/activity/2024-06",
            new { driver = "hours", quantities = new Dictionary<string, decimal> { [a] = 1m, [outsider] = 2m } });
        await response.ProblemAsync(HttpStatusCode.BadRequest, "quantities");
        Assert.Empty((await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/activity/2024-06")).GetProperty(
            "items").EnumerateArray());
    }

    [Fact]
    public async Task Negative_figures_and_bad_months_are_400()
    {
        var (service, a, _) = await DriverService();
        await (await _admin.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/activity/2024-06",
            new { driver = "hours", quantities = new Dictionary<string, decimal> { [a] = -1m } }))
            .ProblemAsync(HttpStatusCode.BadRequest, $"quantities.{a}");
        await (await _admin.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/activity/2024-13",
            new { driver = "hours", quantities = new Dictionary<string, decimal> { [a] = 1m } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "month");
    }

    private async Task<(string Service, string A, string B)> DriverService()
    {
        var codes = await _admin.NewCouncilsAsync("MD", "ND");
        var service = ApiSteps.UniqueCode("BC");
        await _admin.CreateServiceAsync(service, codes[0], codes);
        await _admin.AgreeAsync(service, ApiSteps.DriverSplit("2024-04", "hours", codes));
        return (service, codes[0], codes[1]);
    }
}
