using Apportionment.Api.Demo;
using Apportionment.Api.Features.Ledger;
using Apportionment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Apportionment.Api.Tests.Demo;

/// <summary>
/// The demo loader against a real database, read back through the real API. Each test seeds first; only the first
/// call in the class loads anything, which is itself the idempotency under test.
/// </summary>
public sealed class DemoSeederTests(ApiFactory factory) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    public async Task InitializeAsync() => await DemoSeeder.SeedAsync(factory.Services);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Seeding_again_changes_nothing()
    {
        var before = await CountsAsync();
        Assert.False(await DemoSeeder.SeedAsync(factory.Services));
        Assert.False(await DemoSeeder.SeedAsync(factory.Services));
        Assert.Equal(before, await CountsAsync());

        // And the first load was complete: every council, service, approval and month.
        Assert.Equal(DemoData.Councils.Count, before["councils"]);
        Assert.Equal(DemoData.Services.Count, before["services"]);
        Assert.Equal(DemoData.Services.Count + 1, before["agreements"]); // and the planning proposal
        Assert.Equal(DemoData.Services.Count * DemoData.FinancialYears.Count, before["budgets"]);
        // A support service's agreement is approved by its members and by the members of every service it supports.
        Assert.Equal(DemoData.Services.Sum(s => s.Members.Concat(
            (s.Supports?.Services ?? []).SelectMany(x => DemoData.Services.Single(d => d.Code == x.Council).Members))
            .Distinct().Count()), before["approvals"]);
        Assert.Equal(DemoData.Services.Sum(s => s.Baselines.Count), before["baselines"]);
        Assert.Equal(DemoData.Months * DemoData.Services.Sum(s => s.Costs.Count), before["costs"]);
        Assert.Equal(DemoData.Activity().Count, before["activity"]);
        Assert.Equal(12 * DemoData.Services.Count, before["closed"]);
        Assert.True(before["audit"] >= before["costs"] + before["activity"], "every command is audited");
    }

    [Fact]
    public async Task Everything_was_written_by_the_system_identity_and_every_agreement_but_the_proposal_is_agreed()
    {
        var keyNames = await factory.WithDb(db => db.AuditEvents.Select(a => a.KeyName).Distinct().ToListAsync());
        Assert.Equal(["system:" + DemoSeeder.SystemPurpose], keyNames);
        var statuses = await factory.WithDb(
            db => db.SplitAgreements.Select(a => new { a.ServiceCode, a.Status, a.EffectiveFrom }).ToListAsync());
        var proposed = Assert.Single(statuses, a => a.Status != AgreementStatus.Agreed);
        Assert.Equal(
            (DemoData.Proposal.Service, AgreementStatus.Proposed, DemoData.Proposal.EffectiveFrom.FirstDay),
            (proposed.ServiceCode, proposed.Status, proposed.EffectiveFrom));
    }

    [Fact]
    public async Task
        The_audit_partnership_is_monitored_against_its_ten_percent_target_and_the_planning_proposal_shows_its_impact()
    {
        var admin = factory.Admin();
        var dap = await admin.GetFromJsonAsync<JsonElement>(
            "/api/v1/shared-services/DAP/budget-monitoring/2025-26?asOf=2025-11");
        Assert.Equal(1_350_000.00m, dap.GetProperty("budget").GetDecimal());
        Assert.Equal(1_350_000.00m, dap.GetProperty("target").GetDecimal());
        Assert.Equal(
            dap.GetProperty("budget").GetDecimal(),
            dap.GetProperty("councils").EnumerateArray().Sum(c => c.GetProperty("budgetShare").GetDecimal()));
        Assert.Equal(1_500_000.00m, (await admin.GetFromJsonAsync<JsonElement>(
            "/api/v1/shared-services/DAP/budgets/2024-25")).GetProperty("budget").GetDecimal());

        var agreements = await admin.GetFromJsonAsync<JsonElement>("/api/v1/shared-services/SHWD-PLANNING/agreements");
        var proposal = agreements.GetProperty("items").EnumerateArray()
            .Single(a => a.GetProperty("status").GetString() == AgreementStatus.Proposed);
        var impact = await admin.GetFromJsonAsync<JsonElement>(
            $"/api/v1/shared-services/SHWD-PLANNING/agreements/{proposal.GetProperty("id")}/impact/2025-26");
        var wdbc = impact.GetProperty("councils").EnumerateArray()
            .Single(c => c.GetProperty("council").GetString() == "WDBC");
        Assert.True(wdbc.GetProperty("difference").GetDecimal() > 0, "West Devon would pay more at 45%");
        Assert.Equal(
            0m,
            impact.GetProperty("councils").EnumerateArray().Sum(c => c.GetProperty("difference").GetDecimal()));
    }

    [Fact]
    public async Task Mid_Devon_has_a_statement_for_2025_26()
    {
        var statement = await factory.Admin()
            .GetFromJsonAsync<JsonElement>("/api/v1/councils/MDDC/recharge-statements/2025-26");
        var services = statement.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("service").GetString())
            .ToList();
        Assert.Contains("DAP", services);
        Assert.Contains("BC-MDND", services);
        Assert.All(
            statement.GetProperty("lines").EnumerateArray(),
            l => Assert.True(l.GetProperty("share").GetDecimal() > 0));
    }

    [Fact]
    public async Task Every_service_and_year_balances_across_the_partnership()
    {
        var admin = factory.Admin();
        foreach (var year in DemoData.FinancialYears)
        {
            var lines = new List<(string Council, JsonElement Line)>();
            var statements = new List<JsonElement>();
            foreach (var council in DemoData.Councils)
            {
                var statement = await admin.GetFromJsonAsync<JsonElement>(
                    $"/api/v1/councils/{council.Code}/recharge-statements/{year}");
                statements.Add(statement);
                lines.AddRange(statement.GetProperty("lines").EnumerateArray().Select(l => (council.Code, l)));
            }

            // Nothing created or lost on the way: every pound posted, overheads included, is on some council's
            // statement.
            var posted = DemoData.Costs().Where(c => Period.Parse(year).Contains(c.Month)).Sum(c => c.Amount);
            Assert.Equal(posted, statements.Sum(s => s.GetProperty("totals").GetProperty("share").GetDecimal()));
            Assert.Equal(0m, statements.Sum(s => s.GetProperty("totals").GetProperty("balance").GetDecimal()));

            foreach (var service in DemoData.Services)
            {
                var serviceLines = lines.Where(l => l.Line.GetProperty("service").GetString() == service.Code).ToList();
                Assert.Equal(
                    service.Members.Order(StringComparer.Ordinal),
                    serviceLines.Select(l => l.Council).Order(StringComparer.Ordinal));
                var netCost = serviceLines[0].Line.GetProperty("netCost").GetDecimal();
                Assert.Equal(netCost, serviceLines.Sum(l => l.Line.GetProperty("share").GetDecimal()));
                Assert.All(serviceLines, l => Assert.Equal(
                    l.Line.GetProperty("share").GetDecimal(),
                    l.Line.GetProperty("direct").GetDecimal() + l.Line.GetProperty("overheads").GetDecimal()));
                if (!service.Code.StartsWith("SHWD-", StringComparison.Ordinal))
                {
                    // Services outside the overheads network settle among their own members.
                    Assert.True(netCost > 0, $"{service.Code} {year} has costs");
                    Assert.Equal(netCost, serviceLines.Sum(l => l.Line.GetProperty("paidDirectly").GetDecimal()));
                    Assert.Equal(0m, serviceLines.Sum(l => l.Line.GetProperty("balance").GetDecimal()));
                }
            }
        }
    }

    [Fact]
    public async Task The_shared_admin_team_and_digital_support_are_recharged_to_planning_and_IT_reciprocally()
    {
        var admin = factory.Admin();
        var flows = await admin.GetFromJsonAsync<JsonElement>(
            "/api/v1/shared-services/SHWD-ADMIN/overhead-flows/2025-26");
        var pairs = flows.GetProperty("flows").EnumerateArray()
            .Select(f => (f.GetProperty("from").GetString(), f.GetProperty("to").GetString()))
            .Distinct()
            .ToList();
        Assert.Contains(("SHWD-ADMIN", "SHWD-DIGITAL"), pairs);
        Assert.Contains(("SHWD-DIGITAL", "SHWD-ADMIN"), pairs);
        Assert.Contains(("SHWD-ADMIN", "SHWD-PLANNING"), pairs);
        Assert.Contains(("SHWD-ADMIN", "SHDC"), pairs);

        var planning = await admin.GetFromJsonAsync<JsonElement>(
            "/api/v1/shared-services/SHWD-PLANNING/apportionments/2025-26");
        var received = planning.GetProperty("overheadsReceived").EnumerateArray()
            .Select(r => r.GetProperty("service").GetString())
            .ToList();
        Assert.Equal(["SHWD-ADMIN", "SHWD-DIGITAL"], received);
        Assert.Equal(planning.GetProperty("directCost").GetDecimal()
            + planning.GetProperty("overheadsReceived").EnumerateArray().Sum(r => r.GetProperty("amount").GetDecimal()),
            planning.GetProperty("total").GetDecimal());
        var digital = await admin.GetFromJsonAsync<JsonElement>(
            "/api/v1/shared-services/SHWD-DIGITAL/apportionments/2025-26");
        Assert.Equal(0m, digital.GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task A_year_with_nothing_posted_shows_no_saving_and_counts_no_month()
    {
        var admin = factory.Admin();
        foreach (var service in DemoData.Services)
        {
            var year = await admin.GetJsonAsync($"/api/v1/shared-services/{service.Code}/savings/2026-27");
            Assert.Empty(year.GetProperty("monthsCounted").EnumerateArray());
            Assert.Equal((0.00m, 0.00m, 0.00m), (year.GetProperty("totals").Money("baseline"), year.GetProperty(
                "totals").Money("share"), year.GetProperty("totals").Money("saving")));

            // Cumulative savings through 2026-27 are those through 2025-26: the empty year adds no baseline.
            var through = await admin.GetJsonAsync($"/api/v1/shared-services/{service.Code}/savings?to=2026-27");
            var before = await admin.GetJsonAsync($"/api/v1/shared-services/{service.Code}/savings?to=2025-26");
            Assert.Equal(before.GetProperty("totals").ToString(), through.GetProperty("totals").ToString());
            Assert.Equal(24, through.GetProperty("monthsCounted").GetArrayLength());
        }

        foreach (var council in DemoData.Councils)
        {
            var savings = await admin.GetJsonAsync($"/api/v1/councils/{council.Code}/savings/2026-27");
            Assert.Equal(0.00m, savings.GetProperty("totals").Money("saving"));
            Assert.Empty(savings.GetProperty("monthsCounted").EnumerateArray());
        }
    }

    [Fact]
    public async Task Every_councils_budget_monitoring_answers_for_both_years_and_its_actuals_are_its_statement_shares()
    {
        var admin = factory.Admin();
        foreach (var year in DemoData.FinancialYears)
        {
            foreach (var council in DemoData.Councils)
            {
                var monitoring = await admin.GetJsonAsync($"/api/v1/councils/{council.Code}/budget-monitoring/{year}");
                Assert.Empty(monitoring.GetProperty("unapportioned").EnumerateArray());
                if (council.Code is not ("SHDC" or "WDBC"))
                {
                    continue;
                }

                // A whole year is to date, so each line's actual share is the statement's share, overheads and all.
                var statement = await admin.StatementAsync(council.Code, year);
                var lines = monitoring.GetProperty("services").EnumerateArray().ToList();
                Assert.NotEmpty(lines);
                Assert.All(
                    lines,
                    l => Assert.Equal(statement.LineFor(l.Text("service")).Money("share"), l.Money("actualShare")));
            }

            foreach (var service in DemoData.Services)
            {
                await admin.GetJsonAsync($"/api/v1/shared-services/{service.Code}/budget-monitoring/{year}");
            }
        }
    }

    [Fact]
    public async Task Every_partnership_saves_every_member_money()
    {
        var admin = factory.Admin();
        foreach (var year in DemoData.FinancialYears)
        {
            foreach (var service in DemoData.Services)
            {
                var savings = await admin.GetFromJsonAsync<JsonElement>(
                    $"/api/v1/shared-services/{service.Code}/savings/{year}");
                Assert.True(
                    savings.GetProperty("totals").GetProperty("saving").GetDecimal() > 0,
                    $"{service.Code} {year}");
                Assert.All(savings.GetProperty("councils").EnumerateArray(), c =>
                    Assert.True(
                        c.GetProperty("saving").GetDecimal() > 0,
                        $"{service.Code} {year} {c.GetProperty("council")}"));
            }
        }
    }

    [Fact]
    public async Task Building_control_is_split_by_surveyor_hours_and_settles_between_the_two_councils()
    {
        var apportionment = await factory.Admin()
            .GetFromJsonAsync<JsonElement>("/api/v1/shared-services/BC-MDND/apportionments/2024-25");
        Assert.All(
            apportionment.GetProperty("months").EnumerateArray(),
            m => Assert.Equal("driver", m.GetProperty("method").GetString()));
        var settlement = await factory.Admin()
            .GetFromJsonAsync<JsonElement>("/api/v1/shared-services/BC-MDND/settlements/2024-25");
        var transfer = Assert.Single(settlement.GetProperty("transfers").EnumerateArray());
        // North Devon has paid its on-account invoices, so what is left to settle is its year-end final charge.
        var yearEnd = await factory.Admin()
            .GetFromJsonAsync<JsonElement>("/api/v1/shared-services/BC-MDND/year-end/2024-25");
        var final = yearEnd.GetProperty("councils").EnumerateArray()
            .Single(c => c.GetProperty("council").GetString() == "NDC")
            .GetProperty("finalCharge")
            .GetDecimal();
        Assert.Equal(
            final > 0 ? ("NDC", "MDDC") : ("MDDC", "NDC"),
            (transfer.GetProperty("from").GetString(), transfer.GetProperty("to").GetString()));
        Assert.Equal(Math.Abs(final), transfer.GetProperty("amount").GetDecimal());
    }

    [Fact]
    public void The_demo_is_switched_on_by_either_configuration_key()
    {
        static IConfiguration Config(params (string Key, string Value)[] pairs) =>
            new ConfigurationBuilder().AddInMemoryCollection(
                pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

        Assert.False(DemoSeeder.IsEnabled(Config()));
        Assert.True(DemoSeeder.IsEnabled(Config(("APPORTIONMENT_DEMO", "true"))));
        Assert.True(DemoSeeder.IsEnabled(Config(("Demo:Enabled", "true"))));
        Assert.False(DemoSeeder.IsEnabled(Config(("APPORTIONMENT_DEMO", "false"))));
    }

    [Fact]
    public void The_figures_are_the_same_every_time()
    {
        Assert.Equal(DemoData.Costs(), DemoData.Costs());
        Assert.Equal(
            DemoData.Activity().SelectMany(a => a.Quantities.Values),
            DemoData.Activity().SelectMany(a => a.Quantities.Values));
        Assert.All(DemoData.Costs(), c => Assert.Equal(decimal.Round(c.Amount, 2), c.Amount));
    }

    private Task<Dictionary<string, int>> CountsAsync() => factory.WithDb(async db => new Dictionary<string, int>
    {
        ["councils"] = await db.Councils.CountAsync(),
        ["services"] = await db.SharedServices.CountAsync(),
        ["members"] = await db.ServiceMembers.CountAsync(),
        ["agreements"] = await db.SplitAgreements.CountAsync(),
        ["approvals"] = await db.AgreementApprovals.CountAsync(),
        ["baselines"] = await db.Baselines.CountAsync(),
        ["activity"] = await db.ActivityReturns.CountAsync(),
        ["costs"] = await db.CostPostings.CountAsync(),
        ["closed"] = await db.ClosedMonths.CountAsync(),
        ["budgets"] = await db.Budgets.CountAsync(),
        ["audit"] = await db.AuditEvents.CountAsync(),
    });
}
