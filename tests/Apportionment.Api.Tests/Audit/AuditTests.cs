namespace Apportionment.Api.Tests.Audit;

public sealed class AuditTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Fact]
    public async Task Every_change_is_recorded_with_who_and_what_newest_first_and_filterable_by_entity()
    {
        var councils = await _admin.NewCouncilsAsync("A", "B");
        var service = ApiSteps.UniqueCode("AUD");
        await _admin.CreateServiceAsync(service, councils[0], councils);
        await _admin.AgreeAsync(service, ApiSteps.EqualSplit("2024-04", councils));
        var key = await factory.CouncilClient(councils[1], "costs:write");
        var posting = await key.PostCostAsync(service, "2024-04", 42m);

        var costs = await _admin.GetJsonAsync("/api/v1/audit?entity=cost-posting");
        var entry = costs.Items().Single("entityId", posting.Text("id"));
        Assert.Equal("PostCost", entry.Text("operation"));
        Assert.Equal(councils[1], entry.Text("council"));
        Assert.Equal(42.00m, entry.GetProperty("body").Money("amount"));
        Assert.All(costs.Items(), e => Assert.Equal("cost-posting", e.Text("entity")));

        var councilEvents = await _admin.GetJsonAsync("/api/v1/audit?entity=council&limit=500");
        var ids = councilEvents.Items().Select(e => e.Text("entityId")).ToList();
        Assert.True(ids.IndexOf(councils[1]) < ids.IndexOf(councils[0]), "newest first: B was registered after A");

        var reader = await factory.CouncilClient(councils[0], "statements:read");
        await (await reader.GetAsync("/api/v1/audit")).ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_posting_sent_twice_under_one_idempotency_key_is_audited_once_with_its_whole_request()
    {
        var councils = await _admin.NewCouncilsAsync("A", "B");
        var service = await _admin.ServiceWithFixedSplitAsync("AUK", "2024-04", (councils[0], 50m), (councils[1], 50m));
        var key = $"audit-{Guid.NewGuid():N}";

        var ids = new List<string>();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var response = await _admin.PostCostRawAsync(service, "2024-05", 12.34m, idempotencyKey: key,
                reference: "INV-9", description: "Tab\there");
            ids.Add((await response.JsonAsync(HttpStatusCode.Created)).Text("id"));
        }

        var id = Assert.Single(ids.Distinct());
        var entries = (await _admin.GetJsonAsync("/api/v1/audit?entity=cost-posting&limit=500")).Items()
            .Where(e => e.Text("entityId") == id).ToList();
        var body = Assert.Single(entries).GetProperty("body");
        Assert.Equal(service, body.Text("service"));
        Assert.Equal("2024-05", body.Text("month"));
        Assert.Equal(12.34m, body.Money("amount"));
        Assert.Equal("INV-9", body.Text("reference"));
        Assert.Equal("Tab\there", body.Text("description"));
        Assert.False(body.TryGetProperty("idempotencyKey", out _), "the key is not part of the request's audit body");
    }

    [Fact]
    public async Task A_rejected_request_leaves_no_audit_entry()
    {
        var before = (await _admin.GetJsonAsync("/api/v1/audit?entity=council")).GetProperty("total").GetInt32();
        await (await _admin.PostAsJsonAsync("/api/v1/councils", new { code = "bad code", name = "x" })).ProblemAsync(
            HttpStatusCode.BadRequest,
            "code");
        Assert.Equal(
            before,
            (await _admin.GetJsonAsync("/api/v1/audit?entity=council")).GetProperty("total").GetInt32());
    }
}
