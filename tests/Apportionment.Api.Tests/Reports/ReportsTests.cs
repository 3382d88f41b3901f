namespace Apportionment.Api.Tests.Reports;

/// <summary>Apportionments, recharge statements, settlements, baselines and savings.</summary>
public sealed class ReportsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Fact]
    public async Task An_equal_three_way_split_hands_the_odd_penny_by_the_tie_break_and_adds_up()
    {
        // £100.00 / 3 = 33.333…: each truncates to 33.33 with the same remainder and the same truncated share, so
        // the one leftover penny goes to the ordinal-first council code (A-…).
        var councils = await _admin.NewCouncilsAsync("A", "B", "C");
        var service = ApiSteps.UniqueCode("EQ");
        await _admin.CreateServiceAsync(service, councils[1], councils);
        await _admin.AgreeAsync(service, ApiSteps.EqualSplit("2024-04", councils));
        await _admin.PostCostAsync(service, "2024-04", 100m);

        var apportionment = await _admin.ApportionmentAsync(service, "2024-04");
        Assert.Equal(100.00m, apportionment.Money("netCost"));
        Assert.Equal(
            new Dictionary<string, decimal> { [councils[0]] = 33.34m, [councils[1]] = 33.33m, [councils[2]] = 33.33m },
            apportionment.Allocations());
        Assert.Equal("equal", apportionment.GetProperty("months")[0].Text("method"));
        await _admin.AssertServiceBalancesAsync(service, "2024-04", "2024-25-Q1", "2024-25");
    }

    [Fact]
    public async Task A_month_with_costs_but_no_agreed_agreement_is_422_naming_the_month()
    {
        var councils = await _admin.NewCouncilsAsync("A", "B");
        var service = ApiSteps.UniqueCode("NA");
        await _admin.CreateServiceAsync(service, councils[0], councils);
        await _admin.ProposeAsync(service, ApiSteps.EqualSplit("2024-04", councils));
        await _admin.PostCostAsync(service, "2024-06", 10m);

        var problem = await (await _admin.GetAsync($"/api/v1/shared-services/{service}/apportionments/2024-25-Q1"))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("2024-06", problem.Text("month"));
        Assert.Contains("2024-06", problem.Text("detail"));
        // The council's statement leaves the service out, names the month, and adds up over what it shows.
        var statement = await _admin.StatementAsync(councils[1], "2024-06");
        Assert.Empty(statement.GetProperty("lines").EnumerateArray());
        Assert.Equal(0.00m, statement.GetProperty("totals").Money("balance"));
        var gap = Assert.Single(statement.GetProperty("unapportioned").EnumerateArray());
        Assert.Equal(
            (service, "2024-06", 0),
            (gap.Text("service"), gap.Text("month"), gap.GetProperty("councilsWithoutFigures").GetArrayLength()));
    }

    [Fact]
    public async Task A_driver_month_without_activity_is_422_naming_the_month_and_the_councils()
    {
        var councils = await _admin.NewCouncilsAsync("A", "B");
        var service = ApiSteps.UniqueCode("DR");
        await _admin.CreateServiceAsync(service, councils[0], councils);
        await _admin.AgreeAsync(service, ApiSteps.DriverSplit("2024-04", "cases", councils));
        await _admin.PutActivityAsync(
            service,
            "2024-04",
            "cases",
            new Dictionary<string, decimal> { [councils[0]] = 1m, [councils[1]] = 3m });
        await _admin.PostCostAsync(service, "2024-04", 400m);
        await _admin.PostCostAsync(service, "2024-05", 400m);

        var problem = await (await _admin.GetAsync($"/api/v1/shared-services/{service}/apportionments/2024-25-Q1"))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("2024-05", problem.Text("month"));
        Assert.Equal(
            councils,
            problem.GetProperty("councilsWithoutFigures").EnumerateArray().Select(c => c.GetString()!));

        // April alone is fine: 1:3 of £400.
        Assert.Equal(
            new Dictionary<string, decimal> { [councils[0]] = 100m, [councils[1]] = 300m },
            (await _admin.ApportionmentAsync(service, "2024-04")).Allocations());
    }

    [Fact]
    public async Task A_bad_period_is_400_naming_period()
    {
        var councils = await _admin.NewCouncilsAsync("A", "B");
        var service = ApiSteps.UniqueCode("BP");
        await _admin.CreateServiceAsync(service, councils[0], councils);
        await (await _admin.GetAsync($"/api/v1/shared-services/{service}/apportionments/2024-13")).ProblemAsync(
            HttpStatusCode.BadRequest,
            "period");
        await (await _admin.GetAsync($"/api/v1/councils/{councils[0]}/recharge-statements/2024")).ProblemAsync(
            HttpStatusCode.BadRequest,
            "period");
        await (await _admin.GetAsync($"/api/v1/shared-services/{service}/settlements/2024-04?model=cheapest"))
            .ProblemAsync(HttpStatusCode.BadRequest, "model");
        await (await _admin.GetAsync("/api/v1/councils/NO-SUCH/recharge-statements/2024-04")).ProblemAsync(
            HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Settlement_by_host_goes_through_the_host_and_netting_uses_the_fewest_transfers()
    {
        // Equal split of £300.00 = £100.00 each. H paid £90.00, PA paid £210.00, PB nothing.
        // Balances (share − paid): H +10.00, PA −110.00, PB +100.00.
        var councils = await _admin.NewCouncilsAsync("H", "PA", "PB");
        var (h, pa, pb) = (councils[0], councils[1], councils[2]);
        var service = ApiSteps.UniqueCode("ST");
        await _admin.CreateServiceAsync(service, h, councils);
        await _admin.AgreeAsync(service, ApiSteps.EqualSplit("2024-04", councils));
        await _admin.PostCostAsync(service, "2024-04", 90m, paidBy: h);
        await _admin.PostCostAsync(service, "2024-04", 210m, paidBy: pa);

        // host: each partner settles with H only (ordinal order): H pays PA 110.00; PB pays H 100.00.
        var host = await _admin.SettlementAsync(service, "2024-04", "host");
        Assert.Equal("host", host.Text("model"));
        Assert.Equal([(h, pa, 110.00m), (pb, h, 100.00m)], host.Transfers());

        // netting: the largest debtor PB pays PA 100.00, then H pays PA 10.00.
        var netting = await _admin.SettlementAsync(service, "2024-04", "netting");
        Assert.Equal([(pb, pa, 100.00m), (h, pa, 10.00m)], netting.Transfers());

        Assert.Equal(
            host.Transfers(),
            (await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/settlements/2024-04")).Transfers());
        await _admin.AssertServiceBalancesAsync(service, "2024-04");
    }

    [Fact]
    public async Task The_statement_shows_share_paid_and_balance_and_comes_as_csv_with_a_total_row()
    {
        // 60/40 of £1,000.00: A's share £600.00, A (host) paid £1,000.00, so A is owed £400.00; B owes £400.00.
        var councils = await _admin.NewCouncilsAsync("A", "B");
        var (a, b) = (councils[0], councils[1]);
        var service = ApiSteps.UniqueCode("CSV");
        await _admin.CreateServiceAsync(service, a, councils, name: "Planning, South Hams & \"West\" Devon");
        await _admin.AgreeAsync(service, ApiSteps.FixedSplit("2024-04", (a, 60m), (b, 40m)));
        await _admin.PostCostAsync(service, "2024-04", 1000m);

        var statement = await _admin.StatementAsync(b, "2024-04");
        Assert.Equal(b, statement.Text("council"));
        Assert.Equal("2024-04", statement.Text("period"));
        var line = statement.LineFor(service);
        Assert.Equal((1000.00m, 40m, 400.00m, 0.00m, 400.00m), (line.Money("netCost"), line.Money("sharePercent"), line
            .Money("share"), line.Money("paidDirectly"), line.Money("balance")));
        Assert.Equal(400.00m, statement.GetProperty("totals").Money("balance"));

        using var request = ApiSteps.AcceptCsv($"/api/v1/councils/{a}/recharge-statements/2024-04");
        var csv = await _admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            $"recharge-statement-{a}-2024-04.csv",
            csv.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var rows = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                "council,period,service,serviceName,hostCouncil,netCost,sharePercent,share,paidDirectly,balance,direct,"
                    + "overheads",
                $"{a},2024-04,{service},\"Planning, South Hams & \"\"West\"\" "
                    + $"Devon\",{a},1000.00,60,600.00,1000.00,-400.00,600.00,0.00",
                $"{a},2024-04,TOTAL,,,,,600.00,1000.00,-400.00,600.00,0.00",
            ],
            rows);
        await _admin.AssertServiceBalancesAsync(service, "2024-04");
    }

    [Fact]
    public async Task A_council_key_reads_only_its_own_statement()
    {
        var councils = await _admin.NewCouncilsAsync("A", "B");
        var service = ApiSteps.UniqueCode("OWN");
        await _admin.CreateServiceAsync(service, councils[0], councils);
        var bKey = await factory.CouncilClient(councils[1], "statements:read");
        await bKey.StatementAsync(councils[1], "2024-04");
        await (await bKey.GetAsync($"/api/v1/councils/{councils[0]}/recharge-statements/2024-04")).ProblemAsync(
            HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Savings_compare_each_share_with_the_councils_stand_alone_baseline()
    {
        var councils = await _admin.NewCouncilsAsync("A", "B");
        var (a, b) = (councils[0], councils[1]);
        var service = ApiSteps.UniqueCode("SAV");
        await _admin.CreateServiceAsync(service, a, councils);
        await _admin.AgreeAsync(service, ApiSteps.EqualSplit("2024-04", councils));
        await _admin.PostCostAsync(service, "2024-04", 1000m);

        var put = await (await _admin.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/baselines/{a}",
            new { annualCost = 12000m, note = "2008-09 outturn" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(12000.00m, put.Money("annualCost"));
        await (await _admin.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/baselines/{b}",
            new { annualCost = 6000.12m, note = (string?)null })).JsonAsync(HttpStatusCode.OK);

        // April baselines: A £12,000.00 / 12 = £1,000.00; B £6,000.12 / 12 = £500.01. Shares: £500.00 each.
        var savings = await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/savings/2024-04");
        var rows = savings.GetProperty("councils").EnumerateArray()
            .ToDictionary(c => c.Text("council"), c => (c.Money("baseline"), c.Money("share"), c.Money("saving")));
        Assert.Equal((1000.00m, 500.00m, 500.00m), rows[a]);
        Assert.Equal((500.01m, 500.00m, 0.01m), rows[b]);
        var totals = savings.GetProperty("totals");
        Assert.Equal(
            (1500.01m, 1000.00m, 500.01m),
            (totals.Money("baseline"), totals.Money("share"), totals.Money("saving")));

        var forA = await _admin.GetJsonAsync($"/api/v1/councils/{a}/savings/2024-04");
        var line = forA.GetProperty("services").EnumerateArray().Single("service", service);
        Assert.Equal((1000.00m, 500.00m, 500.00m), (line.Money("baseline"), line.Money("share"), line.Money("saving")));

        // A baseline replaced is the one used.
        await (await _admin.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/baselines/{a}",
            new { annualCost = 6000m, note = (string?)null })).JsonAsync(HttpStatusCode.OK);
        var after = (await _admin.GetJsonAsync($"/api/v1/councils/{a}/savings/2024-04")).GetProperty("services")
            .EnumerateArray()
            .Single("service", service);
        Assert.Equal(0.00m, after.Money("saving"));
    }

    [Fact]
    public async Task Baselines_are_for_members_only_and_never_negative_or_fractional()
    {
        var councils = await _admin.NewCouncilsAsync("A", "B");
        var outsider = (await _admin.NewCouncilsAsync("OUT"))[0];
        var service = ApiSteps.UniqueCode("BL");
        await _admin.CreateServiceAsync(service, councils[0], councils);
        await (await _admin.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/baselines/{outsider}",
            new { annualCost = 1m, note = (string?)null })).ProblemAsync(HttpStatusCode.NotFound);
        await (await _admin.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/baselines/{councils[0]}",
            new { annualCost = -1m, note = (string?)null })).ProblemAsync(HttpStatusCode.BadRequest, "annualCost");
        await (await _admin.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/baselines/{councils[0]}",
            new { annualCost = 1.001m, note = (string?)null })).ProblemAsync(HttpStatusCode.BadRequest, "annualCost");
    }
}
