namespace Apportionment.Api.Tests.Budgets;

/// <summary>Setting budgets: flat and custom profiles, versions, who may, and when the year is closed.</summary>
public sealed class BudgetsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Fact]
    public async Task A_flat_profile_spreads_the_odd_pence_from_april_and_a_custom_profile_is_a_new_version()
    {
        var councils = await _admin.NewCouncilsAsync("H", "M");
        var service = await _admin.ServiceWithFixedSplitAsync("BUD", "2025-04", (councils[0], 60m), (councils[1], 40m));

        var flat = await _admin.PutBudgetAsync(service, "2025-26", 1_200.05m, "flat");
        Assert.Equal("flat", flat.Text("profile"));
        Assert.Equal(1, flat.GetProperty("version").GetInt32());
        Assert.Equal("2025-04", flat.GetProperty("months")[0].Text("month"));
        Assert.Equal(
            [100.01m, 100.01m, 100.01m, 100.01m, 100.01m, 100.00m, 100.00m, 100.00m, 100.00m, 100.00m, 100.00m,
                100.00m],
            flat.MonthAmounts());

        // Heavier in the winter, when the agency cover is paid.
        decimal[] winter = [80m, 80m, 80m, 80m, 80m, 80m, 100m, 120m, 140m, 160m, 100m, 100.05m];
        var custom = await _admin.PutBudgetAsync(service, "2025-26", 1_200.05m, winter);
        Assert.Equal("custom", custom.Text("profile"));
        Assert.Equal(2, custom.GetProperty("version").GetInt32());
        Assert.Equal(winter, custom.MonthAmounts());

        // The same budget again is not a new version; the first version is still there.
        Assert.Equal(
            2,
            (await _admin.PutBudgetAsync(service, "2025-26", 1_200.05m, winter)).GetProperty("version").GetInt32());
        Assert.Equal(2, (await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/budgets/2025-26")).GetProperty(
            "version").GetInt32());
        Assert.Equal(
            "flat",
            (await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/budgets/2025-26?version=1"))
            .Text("profile"));
        var list = await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/budgets");
        Assert.Equal("custom", Assert.Single(list.Items()).Text("profile"));

        var audit = await _admin.GetJsonAsync("/api/v1/audit?entity=budget&limit=500");
        Assert.Contains(
            audit.Items(),
            e => e.Text("entityId") == $"{service}/2025-26/v2" && e.Text("operation") == "PutBudget");
    }

    [Fact]
    public async Task Monthly_amounts_that_miss_the_budget_are_400_naming_the_profile()
    {
        var councils = await _admin.NewCouncilsAsync("H", "M");
        var service = await _admin.ServiceWithFixedSplitAsync("BUD", "2025-04", (councils[0], 50m), (councils[1], 50m));
        var twelve = Enumerable.Repeat(100m, 12).ToArray();

        var short1p = await (await _admin.PutBudgetRawAsync(service, "2025-26", 1_200.01m, twelve)).ProblemAsync(
            HttpStatusCode.BadRequest,
            "profile");
        Assert.Contains("1200.00", short1p.GetProperty("errors").GetProperty("profile")[0].GetString());
        await (await _admin.PutBudgetRawAsync(service, "2025-26", 1_100m, twelve[..11])).ProblemAsync(
            HttpStatusCode.BadRequest,
            "profile");
        await (await _admin.PutBudgetRawAsync(service, "2025-26", 1_200m, "even")).ProblemAsync(
            HttpStatusCode.BadRequest,
            "profile");
        decimal[] fraction = [100.001m, 99.999m, 100m, 100m, 100m, 100m, 100m, 100m, 100m, 100m, 100m, 100m];
        await (await _admin.PutBudgetRawAsync(service, "2025-26", 1_200m, fraction)).ProblemAsync(
            HttpStatusCode.BadRequest,
            "profile[0]",
            "profile[1]");
        await (await _admin.PutBudgetRawAsync(service, "2025-13", 1_200m, "flat")).ProblemAsync(
            HttpStatusCode.BadRequest,
            "financialYear");
        await (await _admin.GetAsync($"/api/v1/shared-services/{service}/budgets/2025-26")).ProblemAsync(
            HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_the_host_council_sets_budgets_and_a_closed_year_is_refused()
    {
        var councils = await _admin.NewCouncilsAsync("H", "M");
        var service = await _admin.ServiceWithFixedSplitAsync("BUD", "2024-04", (councils[0], 50m), (councils[1], 50m));
        var host = await factory.CouncilClient(councils[0], "budgets:write", "costs:write", "statements:read");
        var member = await factory.CouncilClient(councils[1], "budgets:write");

        var refused = await (await member.PutBudgetRawAsync(service, "2024-25", 1_000m, "flat")).ProblemAsync(
            HttpStatusCode.Forbidden);
        Assert.Contains(councils[0], refused.Text("detail"));
        await host.PutBudgetAsync(service, "2024-25", 1_000m, "flat");

        foreach (var month in Enumerable.Range(0, 12)
            .Select(i => new DateOnly(2024, 4, 1).AddMonths(i).ToString("yyyy-MM")))
        {
            (await host.PostAsync($"/api/v1/shared-services/{service}/periods/{month}/close", null))
                .EnsureSuccessStatusCode();
        }

        var closed = await (await host.PutBudgetRawAsync(service, "2024-25", 1_100m, "flat")).ProblemAsync(
            HttpStatusCode.Conflict);
        Assert.EndsWith("/closed-period", closed.Text("type"));
        Assert.Equal(
            1_000.00m,
            (await host.GetJsonAsync($"/api/v1/shared-services/{service}/budgets/2024-25")).Money("budget"));
    }

    [Fact]
    public async Task A_retried_put_with_the_same_idempotency_key_makes_one_version()
    {
        var councils = await _admin.NewCouncilsAsync("H", "M");
        var service = await _admin.ServiceWithFixedSplitAsync("BUD", "2025-04", (councils[0], 50m), (councils[1], 50m));
        async Task<HttpResponseMessage> Put(decimal budget)
        {
            using var request = new HttpRequestMessage(
                HttpMethod.Put,
                $"/api/v1/shared-services/{service}/budgets/2025-26")
            {
                Content = JsonContent.Create(new { budget, profile = "flat" }),
            };
            request.Headers.Add("Idempotency-Key", "budget-2025-26");
            return await _admin.SendAsync(request);
        }

        var first = await (await Put(5_000m)).JsonAsync(HttpStatusCode.OK);
        await _admin.PutBudgetAsync(service, "2025-26", 6_000m, "flat");
        var replay = await (await Put(5_000m)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(first.GetProperty("version").GetInt32(), replay.GetProperty("version").GetInt32());
        Assert.Equal(
            6_000.00m,
            (await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/budgets/2025-26")).Money("budget"));
        await (await Put(7_000m)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
    }
}
