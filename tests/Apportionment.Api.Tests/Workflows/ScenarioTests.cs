namespace Apportionment.Api.Tests.Workflows;

/// <summary>
/// The partnerships in Mid Devon's 2018 scrutiny report, replayed end to end through the API. Every expected figure
/// is worked out by hand in the comments (largest remainder: each share truncated to the penny, leftover pennies to
/// the largest remainders, ties to the larger exact share, then council code).
/// </summary>
public sealed class ScenarioTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Fact]
    public async Task South_Hams_and_West_Devon_planning_moves_from_60_40_to_55_45_in_October()
    {
        await _admin.EnsureCouncilsAsync("SHDC", "WDBC");
        var service = ApiSteps.UniqueCode("PLAN");
        await _admin.CreateServiceAsync(service, "SHDC", ["SHDC", "WDBC"], "2024-04", name: "SHWD Planning");
        var sh = await factory.CouncilClient("SHDC", "agreements:approve", "costs:write", "statements:read");
        var wd = await factory.CouncilClient("WDBC", "agreements:approve", "costs:write", "statements:read");

        var original = await sh.ProposeAsync(service, ApiSteps.FixedSplit("2024-04", ("SHDC", 60m), ("WDBC", 40m)));
        await (await sh.ApproveAsync(service, original, "SHDC")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(
            "agreed",
            (await (await wd.ApproveAsync(service, original, "WDBC")).JsonAsync(HttpStatusCode.OK)).Text("status"));

        var revised = await wd.ProposeAsync(service, ApiSteps.FixedSplit("2024-10", ("SHDC", 55m), ("WDBC", 45m)));
        await (await wd.ApproveAsync(service, revised, "WDBC")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(
            "agreed",
            (await (await sh.ApproveAsync(service, revised, "SHDC")).JsonAsync(HttpStatusCode.OK)).Text("status"));

        // South Hams hosts and pays everything.
        await sh.PostCostAsync(service, "2024-09", 10_000.01m);
        await sh.PostCostAsync(service, "2024-10", 33_333.33m);
        await sh.PostCostAsync(service, "2024-11", 1_000.00m);

        // 2024-09 at 60/40: 1,000,001p × 60% = 600,000.6p → 6,000.00 (rem .6); × 40% = 400,000.4p → 4,000.00 (rem .4).
        // One penny left goes to the larger remainder, SHDC: 6,000.01 / 4,000.00.
        var september = await _admin.ApportionmentAsync(service, "2024-09");
        Assert.Equal(
            new Dictionary<string, decimal> { ["SHDC"] = 6_000.01m, ["WDBC"] = 4_000.00m },
            september.Allocations());
        Assert.Equal(original.Text("id"), september.GetProperty("months")[0].Text("agreementId"));

        // 2024-10 at 55/45: 3,333,333p × 55% = 1,833,333.15p → 18,333.33 (rem .15); × 45% = 1,499,999.85p → 14,999.99
        // (rem .85). The leftover penny goes to WDBC's larger remainder: 18,333.33 / 15,000.00.
        var october = await _admin.ApportionmentAsync(service, "2024-10");
        Assert.Equal(
            new Dictionary<string, decimal> { ["SHDC"] = 18_333.33m, ["WDBC"] = 15_000.00m },
            october.Allocations());
        Assert.Equal(revised.Text("id"), october.GetProperty("months")[0].Text("agreementId"));

        // Financial year = sum of the months, each under its own agreement (not the year's total re-split):
        // net 10,000.01 + 33,333.33 + 1,000.00 = 44,333.34;
        // SHDC 6,000.01 + 18,333.33 + 550.00 = 24,883.34; WDBC 4,000.00 + 15,000.00 + 450.00 = 19,450.00.
        var year = await _admin.ApportionmentAsync(service, "2024-25");
        Assert.Equal(44_333.34m, year.Money("netCost"));
        Assert.Equal(
            new Dictionary<string, decimal> { ["SHDC"] = 24_883.34m, ["WDBC"] = 19_450.00m },
            year.Allocations());

        // Statements: WDBC paid nothing, so owes its whole share; SHDC paid 44,333.34, so is owed 44,333.34 − 24,883.34
        // = 19,450.00.
        var wdLine = (await wd.StatementAsync("WDBC", "2024-25")).LineFor(service);
        Assert.Equal(
            (19_450.00m, 0.00m, 19_450.00m),
            (wdLine.Money("share"), wdLine.Money("paidDirectly"), wdLine.Money("balance")));
        var shLine = (await sh.StatementAsync("SHDC", "2024-25")).LineFor(service);
        Assert.Equal(
            (24_883.34m, 44_333.34m, -19_450.00m),
            (shLine.Money("share"), shLine.Money("paidDirectly"), shLine.Money("balance")));

        // One recharge, West Devon to South Hams, whichever model.
        Assert.Equal(
            new[] { ("WDBC", "SHDC", 19_450.00m) },
            (await _admin.SettlementAsync(service, "2024-25", "host")).Transfers());
        Assert.Equal(
            new[] { ("WDBC", "SHDC", 19_450.00m) },
            (await _admin.SettlementAsync(service, "2024-25", "netting")).Transfers());

        // Savings. Baselines: SHDC £50,000.05 a year = 5,000,005p / 12 = 416,667p rem 1 each, the odd penny to April
        // (equal remainders, equal shares, then the earlier month): April 4,166.68, every other month 4,166.67.
        // WDBC £30,000.00 = 2,500.00 a month.
        await (await _admin.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/baselines/SHDC",
            new { annualCost = 50_000.05m, note = "2006-07 stand-alone" })).JsonAsync(HttpStatusCode.OK);
        await (await _admin.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/baselines/WDBC",
            new { annualCost = 30_000.00m, note = (string?)null })).JsonAsync(HttpStatusCode.OK);

        // Year: only the months that have ended and hold costs count, on both sides: September to November.
        // SHDC 3 × 4,166.67 = 12,500.01 − 24,883.34 = −12,383.33; WDBC 3 × 2,500.00 = 7,500.00 − 19,450.00 =
        // −11,950.00; totals 20,000.01 − 44,333.34 = −24,333.33. (The whole year's 50,000.05 against three months'
        // costs would have overstated SHDC's saving by 37,500.04.)
        var savings = await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/savings/2024-25");
        Assert.Equal(
            ["2024-09", "2024-10", "2024-11"],
            savings.GetProperty("monthsCounted").EnumerateArray().Select(m => m.GetString()));
        var byCouncil = savings.GetProperty("councils").EnumerateArray()
            .ToDictionary(c => c.Text("council"), c => (c.Money("baseline"), c.Money("share"), c.Money("saving")));
        Assert.Equal((12_500.01m, 24_883.34m, -12_383.33m), byCouncil["SHDC"]);
        Assert.Equal((7_500.00m, 19_450.00m, -11_950.00m), byCouncil["WDBC"]);
        var totals = savings.GetProperty("totals");
        Assert.Equal(
            (20_000.01m, 44_333.34m, -24_333.33m),
            (totals.Money("baseline"), totals.Money("share"), totals.Money("saving")));

        // SHDC's own view for April (no costs): no month counted, so no saving claimed.
        // For Q3 (Oct–Dec, costs in October and November): baseline 2 × 4,166.67 = 8,333.34; share 18,333.33 + 550.00 =
        // 18,883.33; saving −10,549.99.
        var april = (await sh.GetJsonAsync("/api/v1/councils/SHDC/savings/2024-04")).GetProperty("services")
            .EnumerateArray()
            .Single("service", service);
        Assert.Equal((0.00m, 0.00m, 0.00m), (april.Money("baseline"), april.Money("share"), april.Money("saving")));
        Assert.Empty(april.GetProperty("monthsCounted").EnumerateArray());
        var q3 = (await sh.GetJsonAsync("/api/v1/councils/SHDC/savings/2024-25-Q3")).GetProperty("services")
            .EnumerateArray()
            .Single("service", service);
        Assert.Equal(
            (8_333.34m, 18_883.33m, -10_549.99m),
            (q3.Money("baseline"), q3.Money("share"), q3.Money("saving")));

        await _admin.AssertServiceBalancesAsync(
            service,
            "2024-09",
            "2024-10",
            "2024-11",
            "2024-25-Q2",
            "2024-25-Q3",
            "2024-25");
    }

    [Fact]
    public async Task Devon_Audit_Partnership_hosted_by_Devon_County_splits_between_five_councils_at_fixed_shares()
    {
        // Devon County, Plymouth, Torbay, Torridge and Mid Devon; ~£1.5m a year, so ~£125k a month.
        string[] councils = ["DCC", "MDDC", "PCC", "TC", "TDC"];
        await _admin.EnsureCouncilsAsync(councils);
        var service = ApiSteps.UniqueCode("DAP");
        await _admin.CreateServiceAsync(service, "DCC", councils, "2024-04", name: "Devon Audit Partnership");
        await _admin.AgreeAsync(
            service,
            ApiSteps.FixedSplit("2024-04", ("DCC", 48.5m), ("PCC", 22.25m), ("TC", 14.75m), ("TDC", 7.5m),
                ("MDDC", 7m)));

        await _admin.PostCostAsync(service, "2024-04", 125_000.37m);
        await _admin.PostCostAsync(service, "2024-05", 125_000.00m);
        await _admin.PostCostAsync(service, "2024-05", -2_500.01m, category: "income: audit days sold");

        // April, 12,500,037p: DCC 48.5% = 6,062,517.945 (rem .945); PCC 22.25% = 2,781,258.2325 (rem .2325);
        // TC 14.75% = 1,843,755.4575 (rem .4575); TDC 7.5% = 937,502.775 (rem .775); MDDC 7% = 875,002.59 (rem .59).
        // Truncated sum 12,500,034p: 3 pennies left, to DCC (.945), TDC (.775), MDDC (.59).
        var april = await _admin.ApportionmentAsync(service, "2024-04");
        Assert.Equal(new Dictionary<string, decimal>
        {
            ["DCC"] = 60_625.18m,
            ["MDDC"] = 8_750.03m,
            ["PCC"] = 27_812.58m,
            ["TC"] = 18_437.55m,
            ["TDC"] = 9_375.03m,
        }, april.Allocations());

        // May, net 125,000.00 − 2,500.01 = 122,499.99 = 12,249,999p: DCC 5,941,249.515 (rem .515); PCC 2,725,624.7775
        // (rem .7775); TC 1,806,874.8525 (rem .8525); TDC 918,749.925 (rem .925); MDDC 857,499.93 (rem .93). Truncated
        // sum 12,249,995p: 4 pennies left, to MDDC, TDC, TC, PCC; DCC keeps its truncated share.
        var may = await _admin.ApportionmentAsync(service, "2024-05");
        Assert.Equal(122_499.99m, may.Money("netCost"));
        Assert.Equal(new Dictionary<string, decimal>
        {
            ["DCC"] = 59_412.49m,
            ["MDDC"] = 8_575.00m,
            ["PCC"] = 27_256.25m,
            ["TC"] = 18_068.75m,
            ["TDC"] = 9_187.50m,
        }, may.Allocations());

        // Q1 (June has no cost): net 247,500.36; DCC 120,037.67, MDDC 17,325.03, PCC 55,068.83, TC 36,506.30, TDC
        // 18,562.53.
        var q1 = await _admin.ApportionmentAsync(service, "2024-25-Q1");
        Assert.Equal(247_500.36m, q1.Money("netCost"));
        Assert.Equal(new Dictionary<string, decimal>
        {
            ["DCC"] = 120_037.67m,
            ["MDDC"] = 17_325.03m,
            ["PCC"] = 55_068.83m,
            ["TC"] = 36_506.30m,
            ["TDC"] = 18_562.53m,
        }, q1.Allocations());

        // Devon County paid it all and is owed 247,500.36 − 120,037.67 = 127,462.69; Mid Devon owes its 17,325.03.
        var dcc = (await _admin.StatementAsync("DCC", "2024-25-Q1")).LineFor(service);
        Assert.Equal(
            (120_037.67m, 247_500.36m, -127_462.69m),
            (dcc.Money("share"), dcc.Money("paidDirectly"), dcc.Money("balance")));
        var mddc = (await _admin.StatementAsync("MDDC", "2024-25-Q1")).LineFor(service);
        Assert.Equal(
            (17_325.03m, 0.00m, 17_325.03m),
            (mddc.Money("share"), mddc.Money("paidDirectly"), mddc.Money("balance")));

        // Each partner pays the host its share: in council order for host, largest debt first for netting.
        Assert.Equal(
            new[] {
                ("MDDC", "DCC", 17_325.03m),
                ("PCC", "DCC", 55_068.83m),
                ("TC", "DCC", 36_506.30m),
                ("TDC", "DCC", 18_562.53m) },
            (await _admin.SettlementAsync(service, "2024-25-Q1", "host")).Transfers());
        Assert.Equal(
            new[] {
                ("PCC", "DCC", 55_068.83m),
                ("TC", "DCC", 36_506.30m),
                ("TDC", "DCC", 18_562.53m),
                ("MDDC", "DCC", 17_325.03m) },
            (await _admin.SettlementAsync(service, "2024-25-Q1", "netting")).Transfers());

        await _admin.AssertServiceBalancesAsync(service, "2024-04", "2024-05", "2024-06", "2024-25-Q1", "2024-25");
    }

    [Fact]
    public async Task Mid_Devon_and_North_Devon_building_control_by_surveyor_hours_settles_with_one_transfer()
    {
        await _admin.EnsureCouncilsAsync("MDDC", "NDC");
        var service = ApiSteps.UniqueCode("BC");
        await _admin.CreateServiceAsync(
            service,
            "NDC",
            ["MDDC", "NDC"],
            "2024-04",
            name: "Building Control Partnership");
        await _admin.AgreeAsync(service, ApiSteps.DriverSplit("2024-04", "surveyor-hours", "MDDC", "NDC"));
        var md = await factory.CouncilClient("MDDC", "costs:write", "statements:read");
        var nd = await factory.CouncilClient("NDC", "costs:write", "statements:read");

        // Each council pays its own surveyors: South Molton (6 surveyors + admin) and Tiverton (4 surveyors + 1.5
        // admin).
        Assert.Equal(
            "NDC",
            (await nd.PostCostAsync(service, "2024-06", 30_000.00m, category: "salaries")).Text("paidBy"));
        Assert.Equal(
            "MDDC",
            (await md.PostCostAsync(service, "2024-06", 21_000.00m, category: "salaries")).Text("paidBy"));

        // Each council reports its own surveyors' hours, then corrects them; only the latest figure of each counts.
        await nd.PutActivityAsync(
            service,
            "2024-06",
            "surveyor-hours",
            new Dictionary<string, decimal> { ["NDC"] = 1_000m });
        await md.PutActivityAsync(
            service,
            "2024-06",
            "surveyor-hours",
            new Dictionary<string, decimal> { ["MDDC"] = 500m });
        await md.PutActivityAsync(
            service,
            "2024-06",
            "surveyor-hours",
            new Dictionary<string, decimal> { ["MDDC"] = 533.25m });
        var latest = await nd.PutActivityAsync(
            service,
            "2024-06",
            "surveyor-hours",
            new Dictionary<string, decimal> { ["NDC"] = 987.5m });
        Assert.Equal((533.25m, 987.5m), (latest.GetProperty("quantities").GetProperty("MDDC").GetDecimal(), latest
            .GetProperty("quantities")
            .GetProperty("NDC")
            .GetDecimal()));

        // 51,000.00 by hours, total 1,520.75: MDDC 5,100,000p × 533.25 / 1,520.75 = 1,788,311.688p → 17,883.11 (rem
        // .688); NDC × 987.5 / 1,520.75 = 3,311,688.312p → 33,116.88 (rem .312). The leftover penny goes to MDDC:
        // 17,883.12 / 33,116.88.
        var june = await _admin.ApportionmentAsync(service, "2024-06");
        Assert.Equal(51_000.00m, june.Money("netCost"));
        Assert.Equal(
            new Dictionary<string, decimal> { ["MDDC"] = 17_883.12m, ["NDC"] = 33_116.88m },
            june.Allocations());
        Assert.Equal("driver", june.GetProperty("months")[0].Text("method"));

        // MDDC paid 21,000.00 for a 17,883.12 share: owed 3,116.88. NDC paid 30,000.00 for 33,116.88: owes 3,116.88.
        var mdLine = (await md.StatementAsync("MDDC", "2024-06")).LineFor(service);
        Assert.Equal(
            (17_883.12m, 21_000.00m, -3_116.88m),
            (mdLine.Money("share"), mdLine.Money("paidDirectly"), mdLine.Money("balance")));
        var ndLine = (await nd.StatementAsync("NDC", "2024-06")).LineFor(service);
        Assert.Equal(
            (33_116.88m, 30_000.00m, 3_116.88m),
            (ndLine.Money("share"), ndLine.Money("paidDirectly"), ndLine.Money("balance")));

        // A single transfer squares them, North Devon to Mid Devon, under either model.
        Assert.Equal(
            new[] { ("NDC", "MDDC", 3_116.88m) },
            (await nd.SettlementAsync(service, "2024-06", "host")).Transfers());
        Assert.Equal(
            new[] { ("NDC", "MDDC", 3_116.88m) },
            (await md.SettlementAsync(service, "2024-06", "netting")).Transfers());

        // April and May had neither cost nor activity, which is fine; the quarter equals June.
        var q1 = await _admin.ApportionmentAsync(service, "2024-25-Q1");
        Assert.Equal(new Dictionary<string, decimal> { ["MDDC"] = 17_883.12m, ["NDC"] = 33_116.88m }, q1.Allocations());

        await _admin.AssertServiceBalancesAsync(service, "2024-06", "2024-25-Q1");
    }
}
