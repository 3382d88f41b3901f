namespace Apportionment.Api.Tests.Reports;

/// <summary>
/// A council's statement and savings across its services while one service still waits for activity figures:
/// the rest are issued, and what is missing is named rather than blocking everything.
/// </summary>
public sealed class StatementGapsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Fact]
    public async Task A_driver_month_without_figures_leaves_its_service_out_and_names_the_months_and_councils()
    {
        var councils = await _admin.NewCouncilsAsync("A", "B");
        var (a, b) = (councils[0], councils[1]);
        var fixedService = await _admin.ServiceWithFixedSplitAsync("FIX", "2024-04", (a, 60m), (b, 40m));
        await _admin.PostCostAsync(fixedService, "2024-04", 1000m);
        var driven = ApiSteps.UniqueCode("DRV");
        await _admin.CreateServiceAsync(driven, a, councils);
        await _admin.AgreeAsync(driven, ApiSteps.DriverSplit("2024-04", "cases", councils));
        await _admin.PutActivityAsync(
            driven,
            "2024-04",
            "cases",
            new Dictionary<string, decimal> { [a] = 1m, [b] = 3m });
        await _admin.PutActivityAsync(driven, "2024-05", "cases", new Dictionary<string, decimal> { [a] = 2m });
        foreach (var month in new[] { "2024-04", "2024-05", "2024-06" })
        {
            await _admin.PostCostAsync(driven, month, 400m);
        }

        var statement = await _admin.StatementAsync(b, "2024-25-Q1");
        var line = Assert.Single(statement.GetProperty("lines").EnumerateArray());
        Assert.Equal(fixedService, line.Text("service"));
        var totals = statement.GetProperty("totals");
        Assert.Equal(
            (400.00m, 0.00m, 400.00m),
            (totals.Money("share"), totals.Money("paidDirectly"), totals.Money("balance")));
        Assert.Equal(
            [(driven, "2024-05", b), (driven, "2024-06", $"{a} {b}")],
            Gaps(statement));

        using var csvRequest = ApiSteps.AcceptCsv($"/api/v1/councils/{b}/recharge-statements/2024-25-Q1");
        var csv = (await (await _admin.SendAsync(csvRequest)).Content.ReadAsStringAsync()).Split(
            "\r\n",
            StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"{b},2024-25-Q1,TOTAL,,,,,400.00,0.00,400.00,400.00,0.00", csv[^2]);
        Assert.Equal($"{b},2024-25-Q1,NOTE,\"Not apportioned yet, so left out of the totals: {driven} 2024-05 (no "
            + $"figures from {b}); {driven} 2024-06 (no figures from {a}, {b})\",,,,,,,,", csv[^1]);

        var savings = await _admin.GetJsonAsync($"/api/v1/councils/{b}/savings/2024-25-Q1");
        Assert.Equal([fixedService], savings.GetProperty("services").EnumerateArray().Select(s => s.Text("service")));
        Assert.Equal(Gaps(statement), Gaps(savings));

        // Reads of the one service still refuse: there is nothing partial to show.
        var problem = await (await _admin.GetAsync($"/api/v1/shared-services/{driven}/apportionments/2024-25-Q1"))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("2024-05", problem.Text("month"));
        await (await _admin.GetAsync($"/api/v1/shared-services/{driven}/settlements/2024-25-Q1")).ProblemAsync(
            HttpStatusCode.UnprocessableEntity);
        await (await _admin.GetAsync($"/api/v1/shared-services/{driven}/savings/2024-25-Q1")).ProblemAsync(
            HttpStatusCode.UnprocessableEntity);

        // Once the figures arrive the service is back on the statement and nothing is missing.
        await _admin.PutActivityAsync(
            driven,
            "2024-05",
            "cases",
            new Dictionary<string, decimal> { [a] = 2m, [b] = 2m });
        await _admin.PutActivityAsync(
            driven,
            "2024-06",
            "cases",
            new Dictionary<string, decimal> { [a] = 1m, [b] = 1m });
        var complete = await _admin.StatementAsync(b, "2024-25-Q1");
        Assert.Empty(complete.GetProperty("unapportioned").EnumerateArray());
        Assert.Equal(300.00m + 200.00m + 200.00m, complete.LineFor(driven).Money("share"));
    }

    [Fact]
    public async Task A_council_without_a_baseline_has_null_baseline_and_saving_and_is_counted_outside_the_totals()
    {
        var councils = await _admin.NewCouncilsAsync("A", "B", "C");
        var (a, b) = (councils[0], councils[1]);
        var service = ApiSteps.UniqueCode("NOB");
        await _admin.CreateServiceAsync(service, a, councils);
        await _admin.AgreeAsync(service, ApiSteps.EqualSplit("2024-04", councils));
        await _admin.PostCostAsync(service, "2024-04", 300m);
        await (await _admin.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/baselines/{a}",
            new { annualCost = 2400m, note = (string?)null })).JsonAsync(HttpStatusCode.OK);

        var savings = await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/savings/2024-04");
        var withoutBaseline = savings.GetProperty("councils").EnumerateArray().Single(c => c.Text("council") == b);
        Assert.Equal(JsonValueKind.Null, withoutBaseline.GetProperty("baseline").ValueKind);
        Assert.Equal(JsonValueKind.Null, withoutBaseline.GetProperty("saving").ValueKind);
        Assert.Equal(100.00m, withoutBaseline.Money("share"));
        var totals = savings.GetProperty("totals");
        Assert.Equal(
            (200.00m, 100.00m, 100.00m),
            (totals.Money("baseline"), totals.Money("share"), totals.Money("saving")));
        Assert.Equal(2, savings.GetProperty("councilsWithoutBaseline").GetInt32());

        using var csvRequest = ApiSteps.AcceptCsv($"/api/v1/shared-services/{service}/savings/2024-04");
        var csv = (await (await _admin.SendAsync(csvRequest)).Content.ReadAsStringAsync()).Split(
            "\r\n",
            StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains($"{service},2024-04,{b},,100.00,", csv);

        var forB = await _admin.GetJsonAsync($"/api/v1/councils/{b}/savings/2024-04");
        var line = forB.GetProperty("services").EnumerateArray().Single(s => s.Text("service") == service);
        Assert.Equal(JsonValueKind.Null, line.GetProperty("saving").ValueKind);
        Assert.Equal((0.00m, 0.00m, 1), (forB.GetProperty("totals").Money("saving"), forB.GetProperty("totals")
            .Money("share"), forB.GetProperty("servicesWithoutBaseline").GetInt32()));

        var since = await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/savings?to=2024-25");
        Assert.Equal(JsonValueKind.Null, since.GetProperty("councils").EnumerateArray()
            .Single(c => c.Text("council") == b)
            .GetProperty("saving")
            .ValueKind);
        Assert.Equal(2, since.GetProperty("councilsWithoutBaseline").GetInt32());
    }

    /// <summary>
    /// Each entry of unapportioned as (service, month, the councils without figures separated by spaces).
    /// </summary>
    private static (string Service, string Month, string Councils)[] Gaps(JsonElement report) =>
        report.GetProperty("unapportioned").EnumerateArray()
            .Select(u => (u.Text("service"), u.Text("month"), string.Join(
                ' ',
                u.GetProperty("councilsWithoutFigures").EnumerateArray().Select(c => c.GetString()))))
            .ToArray();
}
