using Apportionment.Api.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Tests.Quality.Reliability;

/// <summary>A closed month's figures have been issued: nothing may land in it, and its reports never change.</summary>
public sealed class ClosedPeriodTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static async Task AssertClosedPeriod(HttpResponseMessage response, string month)
    {
        var problem = await Scenario.Problem(response, HttpStatusCode.Conflict);
        Assert.Equal(ProblemTypes.ClosedPeriod, problem.GetProperty("type").GetString());
        Assert.Contains(month, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Only_an_admin_or_the_host_councils_key_may_close_a_month()
    {
        var s = await Scenario.CreateAsync(factory);
        var partner = await factory.CouncilClient(s.PartnerA, "costs:write", "statements:read");
        var host = await factory.CouncilClient(s.Host, "costs:write", "statements:read");
        var hostReader = await factory.CouncilClient(s.Host, "statements:read");

        await Scenario.Problem(await s.CloseAsync("2024-05", partner), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Forbidden, (await s.CloseAsync("2024-05", hostReader)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.CloseAsync("2024-04", host)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.CloseAsync("2024-05")).StatusCode);
        await AssertClosedPeriod(await s.CloseAsync("2024-05"), "2024-05");
        await Scenario.Problem(await s.CloseAsync("2024-13"), HttpStatusCode.BadRequest);

        var periods = (await Scenario.Json(
            factory.Admin().GetAsync($"/api/v1/shared-services/{s.Service}/periods?period=2024-25-Q1")))
            .GetProperty("items");
        var months = periods.EnumerateArray()
            .ToDictionary(p => p.GetProperty("month").GetString()!, p => p.GetProperty("closed").GetBoolean());
        Assert.Equal(
            new Dictionary<string, bool> { ["2024-04"] = true, ["2024-05"] = true, ["2024-06"] = false },
            months);
        var all = (await Scenario.Json(factory.Admin().GetAsync($"/api/v1/shared-services/{s.Service}/periods")))
            .GetProperty("items");
        Assert.Equal("2024-04", all[0].GetProperty("month").GetString());
        Assert.Contains(all.EnumerateArray(), p => p.GetProperty("month").GetString() == "2024-05"
            && p.GetProperty("closed").GetBoolean()
            && p.TryGetProperty("closedAt", out _));
        Assert.Contains(
            all.EnumerateArray(),
            p => p.GetProperty("month").GetString() == "2024-07" && !p.GetProperty("closed").GetBoolean());
    }

    [Fact]
    public async Task Postings_activity_and_agreements_in_a_closed_month_are_409_naming_the_month()
    {
        var s = await Scenario.CreateAsync(factory);
        var admin = factory.Admin();
        await admin.CloseThroughAsync(s.Service, "2024-05");
        var before = await factory.WithDb(db => db.CostPostings.CountAsync());

        await AssertClosedPeriod(await admin.PostAsJsonAsync(
            $"/api/v1/shared-services/{s.Service}/costs",
            new { month = "2024-05", amount = 1m, category = "staff" }), "2024-05");
        await AssertClosedPeriod(await admin.PutAsJsonAsync($"/api/v1/shared-services/{s.Service}/activity/2024-05",
            new { driver = "cases", quantities = new Dictionary<string, decimal> { [s.Host] = 1 } }), "2024-05");
        await AssertClosedPeriod(await admin.PostAsJsonAsync($"/api/v1/shared-services/{s.Service}/agreements",
            new { effectiveFrom = "2024-05", method = "equal", councils = s.Councils }), "2024-05");

        Assert.Equal(before, await factory.WithDb(db => db.CostPostings.CountAsync()));
        Assert.Equal(0, await factory.WithDb(db => db.ActivityReturns.CountAsync(a => a.ServiceCode == s.Service)));
        Assert.Equal(0, await factory.WithDb(db => db.SplitAgreements.CountAsync(a => a.ServiceCode == s.Service)));
    }

    [Fact]
    public async Task A_posting_the_ledger_refuses_leaves_no_audit_event_or_stored_answer_and_its_key_stays_free()
    {
        var s = await Scenario.CreateAsync(factory);
        var admin = factory.Admin();
        await admin.CloseThroughAsync(s.Service, "2024-05");
        var before = await DatabaseCounts.AllAsync(factory.ConnectionString);
        var key = $"closed-{Guid.NewGuid():N}";

        // The posting, its audit event and its idempotency answer travel as one batch: the trigger's refusal undoes all
        // three.
        await AssertClosedPeriod(
            await admin.PostCostRawAsync(s.Service, "2024-05", 1m, idempotencyKey: key),
            "2024-05");
        Assert.Equal(before, await DatabaseCounts.AllAsync(factory.ConnectionString));

        var corrected = await (await admin.PostCostRawAsync(s.Service, "2024-06", 1m, idempotencyKey: key)).JsonAsync(
            HttpStatusCode.Created);
        Assert.Equal("2024-06", corrected.Text("month"));
    }

    [Fact]
    public async Task An_agreement_proposed_before_its_month_closed_cannot_be_put_in_force_afterwards()
    {
        var s = await Scenario.CreateAsync(factory);
        var admin = factory.Admin();
        var id = await s.ProposeEqualAsync("2024-05");
        await Scenario.Ok(admin.PostAsJsonAsync(
            $"/api/v1/shared-services/{s.Service}/agreements/{id}/approvals",
            new { council = s.Host }));
        await Scenario.Ok(admin.PostAsJsonAsync(
            $"/api/v1/shared-services/{s.Service}/agreements/{id}/approvals",
            new { council = s.PartnerA }));
        await admin.CloseThroughAsync(s.Service, "2024-05");

        await AssertClosedPeriod(await admin.PostAsJsonAsync(
            $"/api/v1/shared-services/{s.Service}/agreements/{id}/approvals",
            new { council = s.PartnerB }), "2024-05");
        var agreement = await Scenario.Json(admin.GetAsync($"/api/v1/shared-services/{s.Service}/agreements/{id}"));
        Assert.Equal("proposed", agreement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_reversal_of_a_closed_months_posting_lands_in_the_earliest_open_month_linked_to_the_original()
    {
        var s = await Scenario.CreateAsync(factory);
        await s.AgreeFixedSplitAsync();
        var posting = await s.PostCostAsync("2024-05", 250.10m);
        await factory.Admin().CloseThroughAsync(s.Service, "2024-06");

        var reversal = await Scenario.Json(factory.Admin().PostAsJsonAsync(
            $"/api/v1/costs/{posting.GetProperty("id").GetGuid()}/reversal",
            new { reason = "duplicate invoice" }));

        Assert.Equal("2024-07", reversal.GetProperty("month").GetString());
        Assert.Equal(-250.10m, reversal.GetProperty("amount").GetDecimal());
        Assert.Equal(posting.GetProperty("id").GetGuid(), reversal.GetProperty("reversalOf").GetGuid());
        var original = await Scenario.Json(
            factory.Admin().GetAsync($"/api/v1/costs/{posting.GetProperty("id").GetGuid()}"));
        Assert.Equal(reversal.GetProperty("id").GetGuid(), original.GetProperty("reversedBy").GetGuid());
    }

    [Fact]
    public async Task Apportionments_and_statements_of_closed_months_never_change_afterwards()
    {
        var s = await Scenario.CreateAsync(factory);
        var admin = factory.Admin();
        await s.AgreeFixedSplitAsync();
        var may = await s.PostCostAsync("2024-05", 1000.01m);
        await s.PostCostAsync("2024-04", 333.33m);
        var partner = await factory.CouncilClient(s.PartnerA, "statements:read", "costs:write");
        await s.PostCostAsync("2024-05", 77.77m, partner);
        Assert.Equal(HttpStatusCode.OK, (await s.CloseAsync("2024-04")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.CloseAsync("2024-05")).StatusCode);

        string[] urls =
        [
            $"/api/v1/shared-services/{s.Service}/apportionments/2024-05",
            $"/api/v1/shared-services/{s.Service}/apportionments/2024-04",
            $"/api/v1/councils/{s.PartnerA}/recharge-statements/2024-05",
            $"/api/v1/councils/{s.Host}/recharge-statements/2024-05",
            $"/api/v1/shared-services/{s.Service}/settlements/2024-05",
        ];

        async Task<List<string>> Snapshot()
        {
            var bodies = new List<string>();
            foreach (var url in urls)
            {
                var json = await admin.GetAsync(url);
                Assert.Equal(HttpStatusCode.OK, json.StatusCode);
                bodies.Add(await json.Content.ReadAsStringAsync());
                var csv = new HttpRequestMessage(HttpMethod.Get, url);
                csv.Headers.Accept.ParseAdd("text/csv");
                bodies.Add(await (await admin.SendAsync(csv)).Content.ReadAsStringAsync());
            }

            return bodies;
        }

        var before = await Snapshot();
        await Task.Delay(20);

        // Everything that may still happen after the close: new postings in open months, a late correction of a
        // closed month's posting, activity and a new agreement from an open month, more months closed.
        await s.PostCostAsync("2024-06", 5000m);
        await s.PostCostAsync("2024-07", -12.34m, partner);
        await Scenario.Ok(admin.PostAsJsonAsync(
            $"/api/v1/costs/{may.GetProperty("id").GetGuid()}/reversal",
            new { reason = "wrong service" }));
        await Scenario.Ok(admin.PutAsJsonAsync($"/api/v1/shared-services/{s.Service}/activity/2024-06",
            new
            {
                driver = "cases",
                quantities = new Dictionary<string, decimal>
                {
                    [s.Host] = 3,
                    [s.PartnerA] = 1,
                    [s.PartnerB] = 1
                }
            }));
        var next = await s.ProposeEqualAsync("2024-06");
        foreach (var c in s.Councils)
        {
            await Scenario.Ok(admin.PostAsJsonAsync(
                $"/api/v1/shared-services/{s.Service}/agreements/{next}/approvals",
                new { council = c }));
        }

        Assert.Equal(HttpStatusCode.OK, (await s.CloseAsync("2024-06")).StatusCode);

        var after = await Snapshot();
        for (var i = 0; i < before.Count; i++)
        {
            Assert.Equal(before[i], after[i]);
        }

        // The statement of a fully closed period is dated by its last close, not by the request.
        var statement = JsonDocument.Parse(after[4]).RootElement;
        var closedAt = await factory.WithDb(db => db.ClosedMonths.Where(
            c => c.ServiceCode == s.Service && c.Month == new DateOnly(2024, 5, 1)).Select(c => c.ClosedAt)
            .SingleAsync());
        Assert.Equal(closedAt, statement.GetProperty("generatedAt").GetDateTimeOffset());

        // And the open months did move.
        var june = await Scenario.Json(admin.GetAsync($"/api/v1/shared-services/{s.Service}/apportionments/2024-06"));
        Assert.Equal(5000m - 1000.01m, june.GetProperty("netCost").GetDecimal());
    }
}
