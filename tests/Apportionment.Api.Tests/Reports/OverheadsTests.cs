using Apportionment.Api.Infrastructure.Errors;

namespace Apportionment.Api.Tests.Reports;

/// <summary>
/// Support services (overheads) recharged to the services they support, step-down and reciprocal, to the penny.
/// </summary>
public sealed class OverheadsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    private static object Supports(
        string effectiveFrom,
        (string Council, decimal Percent)[] councils,
        params (string Service, decimal Percent)[] services) => new
        {
            effectiveFrom,
            method = "fixed",
            shares = councils.Select(c => new { council = c.Council, percent = c.Percent }).ToArray(),
            supports = services.Select(s => new { service = s.Service, percent = s.Percent }).ToArray(),
        };

    /// <summary>
    /// Two councils sharing planning 60/40 and the given support services, each with one month's cost.
    /// </summary>
    private async Task<(string[] Councils, string Plan, string[] Support)> NetworkAsync(
        string month,
        decimal planCost,
        params (string Prefix, decimal Cost)[] support)
    {
        var councils = await _admin.NewCouncilsAsync("SH", "WD");
        var plan = ApiSteps.UniqueCode("PLAN");
        await _admin.CreateServiceAsync(plan, councils[0], councils);
        await _admin.AgreeAsync(plan, ApiSteps.FixedSplit("2024-04", (councils[0], 60m), (councils[1], 40m)));
        await _admin.PostCostAsync(plan, month, planCost, councils[0]);
        var codes = new List<string>();
        foreach (var (prefix, cost) in support)
        {
            var code = ApiSteps.UniqueCode(prefix);
            await _admin.CreateServiceAsync(code, councils[0], councils);
            await _admin.PostCostAsync(code, month, cost, councils[0]);
            codes.Add(code);
        }

        return (councils, plan, codes.ToArray());
    }

    private async Task<JsonElement> FlowsAsync(string service, string period) =>
        await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/overhead-flows/{period}");

    private static decimal Flow(JsonElement flows, string from, string to) =>
        flows.GetProperty("flows").EnumerateArray().Where(f => f.Text("from") == from && f.Text("to") == to)
            .Sum(f => f.Money("amount"));

    /// <summary>Every council's statement share adds up to every pound posted, and the balances to zero.</summary>
    private async Task AssertReconcilesAsync(string[] councils, string period, decimal posted)
    {
        var statements = new List<JsonElement>();
        foreach (var council in councils)
        {
            statements.Add(await _admin.StatementAsync(council, period));
        }

        Assert.Equal(posted, statements.Sum(s => s.GetProperty("totals").Money("share")));
        Assert.Equal(0m, statements.Sum(s => s.GetProperty("totals").Money("balance")));
        Assert.All(
            statements.SelectMany(s => s.GetProperty("lines").EnumerateArray()),
            l => Assert.Equal(l.Money("share"), l.Money("direct") + l.Money("overheads")));
    }

    [Fact]
    public async Task A_three_level_step_down_chain_reaches_planning_and_every_statement_shows_direct_and_overheads()
    {
        var (councils, plan, s) = await NetworkAsync(
            "2024-05",
            10_000m,
            ("ADMIN", 1_000m),
            ("IT", 600m),
            ("FIN", 300m));
        var (admin, it, fin) = (s[0], s[1], s[2]);
        await _admin.AgreeAsync(admin, Supports("2024-04", [], (it, 20m), (plan, 80m)));
        await _admin.AgreeAsync(it, Supports("2024-04", [], (fin, 50m), (plan, 50m)));
        await _admin.AgreeAsync(fin, Supports("2024-04", [], (plan, 100m)));

        var apportionment = await _admin.ApportionmentAsync(plan, "2024-05");
        Assert.Equal(10_000m, apportionment.Money("directCost"));
        Assert.Equal(11_900m, apportionment.Money("total"));
        Assert.Equal(11_900m, apportionment.Money("netCost"));
        var received = apportionment.GetProperty("overheadsReceived").EnumerateArray()
            .ToDictionary(r => r.Text("service"), r => r.Money("amount"));
        Assert.Equal(new Dictionary<string, decimal> { [admin] = 800m, [fin] = 700m, [it] = 400m }, received);
        Assert.Equal(
            new Dictionary<string, decimal> { [councils[0]] = 7_140m, [councils[1]] = 4_760m },
            apportionment.Allocations());

        var itFigures = await _admin.ApportionmentAsync(it, "2024-05");
        Assert.Equal(600m, itFigures.Money("directCost"));
        Assert.Equal(800m, itFigures.Money("passedOn"));
        Assert.Equal(0m, itFigures.Money("total"));

        var line = (await _admin.StatementAsync(councils[1], "2024-05")).LineFor(plan);
        Assert.Equal(4_000m, line.Money("direct"));
        Assert.Equal(760m, line.Money("overheads"));
        Assert.Equal(4_760m, line.Money("share"));
        await AssertReconcilesAsync(councils, "2024-05", 11_900m);

        var flows = await FlowsAsync(fin, "2024-05");
        Assert.Equal(400m, Flow(flows, it, fin));
        Assert.Equal(700m, Flow(flows, fin, plan));
        Assert.Equal(0m, flows.Money("total"));
    }

    [Fact]
    public async Task Two_services_that_support_each_other_are_solved_reciprocally_to_the_penny()
    {
        var (councils, plan, s) = await NetworkAsync("2024-05", 0m, ("ADMIN", 1_000m), ("IT", 500m));
        var (admin, it) = (s[0], s[1]);
        await _admin.AgreeAsync(admin, Supports("2024-04", [], (it, 10m), (plan, 90m)));
        await _admin.AgreeAsync(it, Supports("2024-04", [], (admin, 20m), (plan, 80m)));

        // Exactly admin = 1,122.448… and IT = 612.244…; see the domain tests for how the pennies fall.
        var flows = await FlowsAsync(admin, "2024-05");
        Assert.Equal(112.24m, Flow(flows, admin, it));
        Assert.Equal(122.45m, Flow(flows, it, admin));
        Assert.Equal(1_010.21m, Flow(flows, admin, plan));
        Assert.Equal(1_500m, (await _admin.ApportionmentAsync(plan, "2024-05")).Money("total"));
        await AssertReconcilesAsync(councils, "2024-05", 1_500m);
    }

    [Fact]
    public async Task Three_services_in_a_loop_pass_on_exactly_what_they_cost()
    {
        var (councils, plan, s) = await NetworkAsync("2024-05", 2_000m, ("ADMIN", 900m), ("IT", 600m), ("FIN", 300m));
        var (admin, it, fin) = (s[0], s[1], s[2]);
        await _admin.AgreeAsync(admin, Supports("2024-04", [], (it, 50m), (plan, 50m)));
        await _admin.AgreeAsync(it, Supports("2024-04", [], (fin, 50m), (plan, 50m)));
        await _admin.AgreeAsync(fin, Supports("2024-04", [], (admin, 50m), (plan, 50m)));

        foreach (var service in s)
        {
            var a = await _admin.ApportionmentAsync(service, "2024-05");
            var received = a.GetProperty("overheadsReceived").EnumerateArray().Sum(r => r.Money("amount"));
            Assert.Equal(a.Money("directCost") + received - a.Money("passedOn"), a.Money("total"));
            Assert.Equal(0m, a.Money("total"));
        }

        Assert.Equal(3_800m, (await _admin.ApportionmentAsync(plan, "2024-05")).Money("total"));
        await AssertReconcilesAsync(councils, "2024-05", 3_800m);
    }

    [Fact]
    public async Task A_support_service_can_charge_a_council_directly_and_the_settlement_still_squares_it()
    {
        var (councils, plan, s) = await NetworkAsync("2024-05", 10_000m, ("ADMIN", 1_000m));
        // 10% of the admin team is the first council's corporate and democratic core.
        await _admin.AgreeAsync(s[0], Supports("2024-04", [(councils[0], 10m)], (plan, 90m)));

        var admin = await _admin.ApportionmentAsync(s[0], "2024-05");
        Assert.Equal(new Dictionary<string, decimal> { [councils[0]] = 100m }, admin.Allocations());
        Assert.Equal(100m, admin.Money("total"));
        var flows = await FlowsAsync(s[0], "2024-05");
        Assert.Contains(
            flows.GetProperty("flows").EnumerateArray(),
            f => f.Text("to") == councils[0] && f.Text("toKind") == "council" && f.Money("amount") == 100m);
        await AssertReconcilesAsync(councils, "2024-05", 11_000m);

        // Planning's host paid 10,000 and bears 6,540 of 10,900; it stands for the 900 of overheads, so the partner
        // pays 4,360.
        var settlement = await _admin.SettlementAsync(plan, "2024-05");
        Assert.Equal([(councils[1], councils[0], 4_360m)], settlement.Transfers());

        using var csv = await _admin.SendAsync(
            ApiSteps.AcceptCsv($"/api/v1/shared-services/{s[0]}/overhead-flows/2024-05"));
        var text = await csv.Content.ReadAsStringAsync();
        Assert.StartsWith("service,period,month,from,to,toKind,method,amount\r\n", text, StringComparison.Ordinal);
        Assert.Contains($"{s[0]},2024-05,2024-05,{s[0]},{plan},service,fixed,900.00", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_support_agreement_changed_mid_year_applies_from_its_month()
    {
        var (councils, plan, s) = await NetworkAsync("2024-05", 0m, ("ADMIN", 1_000m));
        var housing = ApiSteps.UniqueCode("HOUSE");
        await _admin.CreateServiceAsync(housing, councils[0], councils);
        await _admin.AgreeAsync(housing, ApiSteps.EqualSplit("2024-04", councils));
        await _admin.AgreeAsync(s[0], Supports("2024-04", [], (plan, 100m)));
        await _admin.AgreeAsync(s[0], Supports("2024-07", [], (plan, 50m), (housing, 50m)));
        await _admin.PostCostAsync(s[0], "2024-08", 1_000m, councils[0]);

        var flows = await FlowsAsync(s[0], "2024-25");
        Assert.Equal(1_500m, Flow(flows, s[0], plan));
        Assert.Equal(500m, Flow(flows, s[0], housing));
        var months = flows.GetProperty("flows").EnumerateArray().Where(f => f.Text("to") == housing)
            .Select(f => f.Text("month"));
        Assert.Equal(["2024-08"], months);
        var lines = (await _admin.StatementAsync(councils[1], "2024-25")).GetProperty("lines");
        Assert.Equal(250m, lines.EnumerateArray().Single(l => l.Text("service") == housing).Money("overheads"));
        await AssertReconcilesAsync(councils, "2024-25", 2_000m);

        using var csv = await _admin.SendAsync(
            ApiSteps.AcceptCsv($"/api/v1/councils/{councils[1]}/recharge-statements/2024-25"));
        var text = await csv.Content.ReadAsStringAsync();
        Assert.StartsWith(
            "council,period,service,serviceName,hostCouncil,netCost,sharePercent,share,paidDirectly,balance,direct,"
                + "overheads\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_month_refuses_support_service_activity_and_support_agreements_that_would_change_it()
    {
        var (councils, plan, s) = await NetworkAsync("2024-05", 100m, ("ADMIN", 100m));
        await _admin.AgreeAsync(s[
            0], new
            {
                effectiveFrom = "2024-04",
                method = "driver",
                driver = "admin-hours",
                supports = new[] { new { service = plan } }
            });
        await _admin.PutActivityAsync(s[0], "2024-05", "admin-hours", new Dictionary<string, decimal> { [plan] = 10m });
        // Months close in order, once they can be apportioned.
        foreach (var month in new[] { "2024-04", "2024-05" })
        {
            Assert.Equal(
                HttpStatusCode.OK,
                (await _admin.PostAsync($"/api/v1/shared-services/{s[0]}/periods/{month}/close", null)).StatusCode);
        }

        var activity = await _admin.PutAsJsonAsync(
            $"/api/v1/shared-services/{s[0]}/activity/2024-05",
            new { driver = "admin-hours", quantities = new Dictionary<string, decimal> { [plan] = 10m } });
        var problem = await activity.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(ProblemTypes.ClosedPeriod, problem.Text("type"));

        // A support agreement moves the supported service's figures, so planning's closed month protects it too.
        foreach (var month in new[] { "2024-04", "2024-05", "2024-06" })
        {
            Assert.Equal(
                HttpStatusCode.OK,
                (await _admin.PostAsync($"/api/v1/shared-services/{plan}/periods/{month}/close", null)).StatusCode);
        }
        var proposal = await _admin.PostAsJsonAsync(
            $"/api/v1/shared-services/{s[0]}/agreements",
            Supports("2024-06", [(councils[0], 50m)], (plan, 50m)));
        Assert.Contains("2024-06", (await proposal.ProblemAsync(HttpStatusCode.Conflict)).Text("detail"));

        // And a cost posted to the admin team in planning's closed month would change planning's issued statement.
        var posting = await _admin.PostCostRawAsync(s[0], "2024-06", 10m, councils[0]);
        Assert.Contains(plan, (await posting.ProblemAsync(HttpStatusCode.Conflict)).Text("detail"));
        await _admin.PostCostAsync(s[0], "2024-07", 10m, councils[0]);
    }

    [Fact]
    public async Task
        A_month_closed_at_the_end_of_a_support_chain_refuses_every_write_upstream_and_a_reversal_lands_after_it()
    {
        var (councils, plan, s) = await NetworkAsync("2024-05", 100m, ("ADMIN", 100m), ("IT", 50m));
        var (admin, it) = (s[0], s[1]);
        await _admin.AgreeAsync(admin, Supports("2024-04", [], (it, 100m)));
        await _admin.AgreeAsync(it, Supports("2024-04", [], (plan, 100m)));
        var early = await _admin.PostCostAsync(admin, "2024-05", 30m, councils[0]);
        await _admin.CloseThroughAsync(plan, "2024-05");

        // The admin team's cost reaches planning only through IT, yet it would still change planning's issued May.
        var posting = await _admin.PostCostRawAsync(admin, "2024-05", 10m, councils[0]);
        var problem = await posting.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(ProblemTypes.ClosedPeriod, problem.Text("type"));
        Assert.Equal($"2024-05 is closed for '{plan}', which '{admin}' supports: its statements have been issued and "
            + "cannot change.", problem.Text("detail"));

        var batch = await _admin.PostAsJsonAsync("/api/v1/cost-batches", new[]
        {
            new { service = it, month = "2024-06", amount = 5m, category = "staff", paidBy = councils[0] },
            new { service = admin, month = "2024-05", amount = 5m, category = "staff", paidBy = councils[0] },
        });
        Assert.Equal(ProblemTypes.ClosedPeriod, (await batch.ProblemAsync(HttpStatusCode.Conflict)).Text("type"));
        Assert.Equal(0m, (await _admin.ApportionmentAsync(it, "2024-06")).Money("directCost"));

        var reversal = await _admin.PostJsonAsync(
            $"/api/v1/costs/{early.Text("id")}/reversal",
            new { reason = "Charged to the wrong team" });
        Assert.Equal("2024-06", reversal.Text("month"));
        Assert.Equal(280m, (await _admin.ApportionmentAsync(plan, "2024-05")).Money("total"));
    }

    [Fact]
    public async Task A_support_agreement_change_is_refused_where_its_cost_would_reach_a_closed_month_down_a_chain()
    {
        // Admin supports IT, IT supports planning: admin's cost reaches planning through IT.
        var (councils, plan, s) = await NetworkAsync("2024-05", 100m, ("ADMIN", 100m), ("IT", 100m));
        var (admin, it) = (s[0], s[1]);
        await _admin.AgreeAsync(admin, Supports("2024-04", [], (it, 100m)));
        await _admin.AgreeAsync(it, Supports("2024-04", [], (plan, 100m)));
        await _admin.CloseThroughAsync(plan, "2024-06");

        await AssertRefusedNamingAsync(admin, Supports("2024-06", [(councils[0], 10m)], (it, 90m)), plan);
        await _admin.AgreeAsync(admin, Supports("2024-07", [(councils[0], 10m)], (it, 90m)));
        // A proposal slotted in before that later agreement would still govern planning's closed June.
        await AssertRefusedNamingAsync(admin, Supports("2024-06", [], (it, 100m)), plan);
    }

    [Fact]
    public async Task A_support_agreement_change_is_refused_where_its_cost_would_reach_a_closed_month_through_a_cycle()
    {
        var (councils, plan, s) = await NetworkAsync("2024-05", 100m, ("ADMIN", 100m), ("IT", 100m));
        var (admin, it) = (s[0], s[1]);
        await _admin.AgreeAsync(admin, Supports("2024-04", [], (it, 100m)));
        await _admin.AgreeAsync(it, Supports("2024-04", [], (admin, 20m), (plan, 80m)));
        await _admin.CloseThroughAsync(plan, "2024-06");

        await AssertRefusedNamingAsync(admin, Supports("2024-05", [(councils[1], 50m)], (it, 50m)), plan);
        await _admin.AgreeAsync(admin, Supports("2024-07", [(councils[1], 50m)], (it, 50m)));
    }

    private async Task AssertRefusedNamingAsync(string service, object proposal, string closedService)
    {
        var refused = await _admin.PostAsJsonAsync($"/api/v1/shared-services/{service}/agreements", proposal);
        var problem = await refused.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(ProblemTypes.ClosedPeriod, problem.Text("type"));
        Assert.Contains($"'{closedService}'", problem.Text("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_driver_month_without_figures_is_422_naming_the_service_month_and_recipients()
    {
        var (councils, plan, s) = await NetworkAsync("2024-05", 100m, ("ADMIN", 100m));
        var it = ApiSteps.UniqueCode("IT");
        await _admin.CreateServiceAsync(it, councils[0], councils);
        await _admin.AgreeAsync(it, ApiSteps.EqualSplit("2024-04", councils));
        await _admin.AgreeAsync(s[
            0], new
            {
                effectiveFrom = "2024-04",
                method = "driver",
                driver = "admin-hours",
                councils = new[] { councils[0] },
                supports = new[] { new { service = plan }, new { service = it } }
            });
        await _admin.PutActivityAsync(s[0], "2024-05", "admin-hours", new Dictionary<string, decimal> { [plan] = 30m });

        // Planning's own read cannot be worked without its overheads: 422 naming the support service, month and
        // recipients.
        var response = await _admin.GetAsync($"/api/v1/shared-services/{plan}/apportionments/2024-05");
        var problem = await response.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(s[0], problem.Text("service"));
        Assert.Equal("2024-05", problem.Text("month"));
        Assert.Equal(
            [councils[0], it],
            problem.GetProperty("recipientsWithoutFigures").EnumerateArray().Select(c => c.GetString()!));

        // A council's statement leaves out every service the missing figures stop (never a line without its overheads)
        // and names the month that stops them.
        var statement = await ApiSteps.JsonAsync(
            await _admin.GetAsync($"/api/v1/councils/{councils[1]}/recharge-statements/2024-05"),
            HttpStatusCode.OK);
        Assert.DoesNotContain(
            statement.GetProperty("lines").EnumerateArray(),
            l => l.GetProperty("service").GetString() == plan);
        var gap = Assert.Single(
            statement.GetProperty("unapportioned").EnumerateArray(),
            g => g.GetProperty("service").GetString() == s[0]);
        Assert.Equal("2024-05", gap.GetProperty("month").GetString());

        await _admin.PutActivityAsync(
            s[0],
            "2024-05",
            "admin-hours",
            new Dictionary<string, decimal> { [plan] = 30m, [it] = 10m, [councils[0]] = 10m });
        var flows = await FlowsAsync(s[0], "2024-05");
        Assert.Equal(60m, Flow(flows, s[0], plan));
        Assert.Equal(20m, Flow(flows, s[0], it));
        Assert.Equal(20m, Flow(flows, s[0], councils[0]));
        await AssertReconcilesAsync(councils, "2024-05", 200m);
    }

    [Fact]
    public async Task Support_agreements_need_every_member_council_and_are_checked_like_any_agreement()
    {
        var (councils, plan, s) = await NetworkAsync("2024-05", 0m, ("ADMIN", 0m));
        var proposed = await _admin.ProposeAsync(s[0], Supports("2024-04", [], (plan, 100m)));
        Assert.Equal(
            councils.Order(StringComparer.Ordinal),
            proposed.GetProperty("awaitingApproval").EnumerateArray().Select(c => c.GetString()!));
        Assert.Equal(plan, proposed.GetProperty("supports")[0].Text("service"));

        await (await _admin.PostAsJsonAsync(
            $"/api/v1/shared-services/{s[0]}/agreements",
            Supports("2024-04", [], (s[0], 100m))))
            .ProblemAsync(HttpStatusCode.BadRequest, "supports[0].service");
        await (await _admin.PostAsJsonAsync(
            $"/api/v1/shared-services/{s[0]}/agreements",
            Supports("2024-04", [], (plan, 90m))))
            .ProblemAsync(HttpStatusCode.BadRequest, "supports");
        await (await _admin.PostAsJsonAsync(
            $"/api/v1/shared-services/{s[0]}/agreements",
            Supports("2024-04", [], ("NO-SUCH", 100m))))
            .ProblemAsync(HttpStatusCode.BadRequest, "supports");
        await (await _admin.GetAsync($"/api/v1/shared-services/{s[0]}/overhead-flows/2024-13")).ProblemAsync(
            HttpStatusCode.BadRequest,
            "period");
    }
}
