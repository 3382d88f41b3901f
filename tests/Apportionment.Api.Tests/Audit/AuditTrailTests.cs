using Apportionment.Api.Infrastructure.Security;
using Apportionment.Api.Tests.Security;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Apportionment.Api.Tests.Audit;

/// <summary>
/// One small scenario through every audited write, then the trail it left, read back through the API.
/// </summary>
public sealed class AuditTrailTests(AuditApiFactory factory) : IClassFixture<AuditApiFactory>
{
    private sealed record Expected(
        string Operation,
        string Entity,
        string EntityId,
        Guid KeyId,
        string KeyName,
        string? Council);

    private List<string> Secrets => factory.Secrets;

    private async Task<List<Expected>> ScenarioAsync()
    {
        if (factory.Scenario is List<Expected> done)
        {
            return done;
        }

        var admin = factory.Admin();
        var adminId = ApiKeyAuthenticationHandler.AdminKeyId;
        var e = new List<Expected>();
        foreach (var code in new[] { "AAA", "BBB" })
        {
            await Http.Expect(admin.PostAsJsonAsync("/api/v1/councils", new { code, name = code }), 201);
            e.Add(new("CreateCouncil", "council", code, adminId, "admin", null));
        }

        await Http.Expect(
            admin.PostAsJsonAsync("/api/v1/shared-services",
                new
                {
                    code = "SVC",
                    name = "Legal",
                    hostCouncil = "AAA",
                    members = new[] { "AAA", "BBB" },
                    startMonth = "2025-04"
                }), 201);
        e.Add(new("CreateSharedService", "shared-service", "SVC", adminId, "admin", null));

        var (aId, aKey) = await Http.CreateKeyAsync(
            factory,
            "AAA",
            [Scopes.CostsWrite, Scopes.AgreementsApprove],
            name: "AAA finance");
        e.Add(new("CreateApiKey", "api-key", aId.ToString(), adminId, "admin", null));
        var (bId, bKey) = await Http.CreateKeyAsync(factory, "BBB", [Scopes.AgreementsApprove], name: "BBB officers");
        e.Add(new("CreateApiKey", "api-key", bId.ToString(), adminId, "admin", null));
        var (allId, allKey) = await Http.CreateKeyAsync(factory, "AAA", Http.CouncilScopes, name: "AAA everything");
        e.Add(new("CreateApiKey", "api-key", allId.ToString(), adminId, "admin", null));
        factory.EverythingKey = allKey;
        Secrets.AddRange([aKey, bKey, allKey]);
        var a = factory.WithKey(aKey);
        var b = factory.WithKey(bKey);

        var agreement = (await Http.Expect(a.PostAsJsonAsync(
            "/api/v1/shared-services/SVC/agreements",
            new { effectiveFrom = "2025-04", method = "equal", councils = new[] { "AAA", "BBB" } }), 201))
            .GetProperty("id").GetGuid().ToString();
        e.Add(new("ProposeAgreement", "split-agreement", agreement, aId, "AAA finance", "AAA"));
        await Http.Expect(
            a.PostAsJsonAsync($"/api/v1/shared-services/SVC/agreements/{agreement}/approvals", new { council = "AAA" }),
            200);
        e.Add(new("ApproveAgreement", "split-agreement", agreement, aId, "AAA finance", "AAA"));

        // Refused writes leave no trace.
        await Http.Expect(
            b.PostAsJsonAsync($"/api/v1/shared-services/SVC/agreements/{agreement}/approvals", new { council = "AAA" }),
            403);
        await Http.Expect(b.PostAsJsonAsync(
            "/api/v1/shared-services/SVC/costs",
            new { month = "2025-05", amount = 1m, category = "x" }), 403);

        await Http.Expect(
            b.PostAsJsonAsync($"/api/v1/shared-services/SVC/agreements/{agreement}/approvals", new { council = "BBB" }),
            200);
        e.Add(new("ApproveAgreement", "split-agreement", agreement, bId, "BBB officers", "BBB"));

        var posting = (await Http.Expect(a.PostAsJsonAsync(
            "/api/v1/shared-services/SVC/costs",
            new { month = "2025-05", amount = 500.00m, category = "Staff" }), 201)).GetProperty("id").GetGuid()
            .ToString();
        e.Add(new("PostCost", "cost-posting", posting, aId, "AAA finance", "AAA"));
        var reversal = (await Http.Expect(
            a.PostAsJsonAsync($"/api/v1/costs/{posting}/reversal", new { reason = "Wrong month" }),
            201)).GetProperty("id").GetGuid().ToString();
        e.Add(new("ReverseCost", "cost-posting", reversal, aId, "AAA finance", "AAA"));
        var activity = (await Http.Expect(a.PutAsJsonAsync(
            "/api/v1/shared-services/SVC/activity/2025-05",
            new { driver = "hours", quantities = new Dictionary<string, decimal> { ["AAA"] = 3m } }), 200))
            .GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        e.Add(new("PutActivity", "activity", activity, aId, "AAA finance", "AAA"));
        await Http.Expect(
            admin.PutAsJsonAsync("/api/v1/shared-services/SVC/baselines/BBB", new { annualCost = 12000.00m }),
            200);
        e.Add(new("PutBaseline", "baseline", "SVC/BBB", adminId, "admin", null));
        await Http.Expect(a.PostAsync("/api/v1/shared-services/SVC/periods/2025-04/close", null), 200);
        e.Add(new("CloseMonth", "closed-month", "SVC/2025-04", aId, "AAA finance", "AAA"));
        await Http.Expect(admin.DeleteAsync($"/api/v1/api-keys/{bId}"), 200);
        e.Add(new("RevokeApiKey", "api-key", bId.ToString(), adminId, "admin", null));

        factory.Scenario = e;
        return e;
    }

    private async Task<List<JsonElement>> AllEventsAsync()
    {
        var page = await Http.Expect(factory.Admin().GetAsync("/api/v1/audit?limit=500"), 200);
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    [Fact]
    public async Task Every_write_leaves_exactly_one_event_naming_key_council_operation_and_entity()
    {
        var expected = await ScenarioAsync();
        var events = await AllEventsAsync();

        Assert.Equal(expected.Count, events.Count);
        foreach (var x in expected)
        {
            var matches = events.Where(ev =>
                ev.GetProperty("operation").GetString() == x.Operation
                    && ev.GetProperty("entity").GetString() == x.Entity
                    && ev.GetProperty("entityId").GetString() == x.EntityId
                    && ev.GetProperty("keyId").GetGuid() == x
                    .KeyId).ToList();
            var match = Assert.Single(matches);
            Assert.Equal(x.KeyName, match.GetProperty("keyName").GetString());
            Assert.Equal(x.Council, match.TryGetProperty("council", out var c) ? c.GetString() : null);
        }
    }

    [Fact]
    public async Task No_audit_event_holds_a_secret()
    {
        await ScenarioAsync();
        var rows = await factory.WithDb(
            db => db.Database.SqlQueryRaw<string>("select t::text as \"Value\" from audit_events t").ToListAsync());
        Assert.NotEmpty(rows);
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(rows, r => r.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(rows, r => r.Contains(secret[4..], StringComparison.Ordinal));
        }

        var keyEvents = (await AllEventsAsync()).Where(ev => ev.GetProperty("operation").GetString() == "CreateApiKey")
            .ToList();
        Assert.Equal(3, keyEvents.Count);
        Assert.All(keyEvents, ev => Assert.False(ev.GetProperty("body").TryGetProperty("key", out _)));
    }

    [Fact]
    public async Task The_applications_connection_cannot_update_delete_or_truncate_the_trail()
    {
        var count = (await ScenarioAsync()).Count;
        foreach (var sql in new[] {
            "update audit_events set operation = 'tampered'",
            "delete from audit_events",
            "truncate audit_events" })
        {
            var error = await Assert.ThrowsAnyAsync<PostgresException>(
                () => factory.WithDb(db => db.Database.ExecuteSqlRawAsync(sql)));
            Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
        }

        Assert.Equal(count, await factory.WithDb(db => db.AuditEvents.CountAsync()));
        Assert.DoesNotContain(await AllEventsAsync(), ev => ev.GetProperty("operation").GetString() == "tampered");
    }

    [Fact]
    public async Task The_trail_filters_by_entity_council_and_time_and_pages()
    {
        var expected = await ScenarioAsync();
        var admin = factory.Admin();
        var all = await AllEventsAsync();

        async Task<JsonElement> Page(string query) => await Http.Expect(admin.GetAsync("/api/v1/audit?" + query), 200);

        var councils = await Page("entity=council");
        Assert.Equal(2, councils.GetProperty("total").GetInt32());
        Assert.All(
            councils.GetProperty("items").EnumerateArray(),
            ev => Assert.Equal("council", ev.GetProperty("entity").GetString()));

        var byAaa = await Page("council=AAA&limit=500");
        Assert.Equal(expected.Count(x => x.Council == "AAA"), byAaa.GetProperty("total").GetInt32());
        Assert.All(
            byAaa.GetProperty("items").EnumerateArray(),
            ev => Assert.Equal("AAA", ev.GetProperty("council").GetString()));
        Assert.Equal(1, (await Page("council=BBB")).GetProperty("total").GetInt32());

        var pivot = all.Single(ev => ev.GetProperty("operation").GetString() == "PostCost").GetProperty("at")
            .GetDateTimeOffset();
        var at = Uri.EscapeDataString(pivot.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var from = await Page($"from={at}&limit=500");
        Assert.Equal(
            all.Count(ev => ev.GetProperty("at").GetDateTimeOffset() >= pivot),
            from.GetProperty("total").GetInt32());
        var to = await Page($"to={at}&limit=500");
        Assert.Equal(
            all.Count(ev => ev.GetProperty("at").GetDateTimeOffset() < pivot),
            to.GetProperty("total").GetInt32());
        Assert.Equal(all.Count, from.GetProperty("total").GetInt32() + to.GetProperty("total").GetInt32());
        Assert.Equal(0, (await Page($"from={at}&to={at}")).GetProperty("total").GetInt32());
        Assert.Equal(2, (await Page($"entity=cost-posting&council=AAA&from={at}")).GetProperty("total").GetInt32());

        var ids = new List<long>();
        for (var offset = 0; offset < all.Count; offset += 5)
        {
            var page = await Page($"offset={offset}&limit=5");
            Assert.Equal(all.Count, page.GetProperty("total").GetInt32());
            Assert.Equal(Math.Min(5, all.Count - offset), page.GetProperty("items").GetArrayLength());
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(ev => ev.GetProperty("id").GetInt64()));
        }

        Assert.Equal(all.Select(ev => ev.GetProperty("id").GetInt64()), ids);
        Assert.Equal(ids.OrderDescending(), ids);
        await Http.Expect(admin.GetAsync("/api/v1/audit?limit=0"), 400);
        await Http.Expect(admin.GetAsync("/api/v1/audit?offset=-1"), 400);
    }

    [Fact]
    public async Task Only_admin_reads_the_trail()
    {
        await ScenarioAsync();
        using var response = await factory.WithKey(factory.EverythingKey).GetAsync("/api/v1/audit");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Scopes.Admin, problem.GetProperty("missingScope").GetString());
        await Http.Expect(factory.CreateClient().GetAsync("/api/v1/audit"), 401);
    }
}
