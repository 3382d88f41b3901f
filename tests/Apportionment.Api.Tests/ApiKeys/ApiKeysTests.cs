namespace Apportionment.Api.Tests.ApiKeys;

public sealed class ApiKeysTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Fact]
    public async Task The_secret_is_shown_once_listed_never_and_a_revoked_key_is_refused()
    {
        var council = (await _admin.NewCouncilsAsync("K"))[0];
        var response = await _admin.PostAsJsonAsync(
            "/api/v1/api-keys",
            new { name = "Ledger export", council, scopes = new[] { "statements:read" } });
        var created = await response.JsonAsync(HttpStatusCode.Created);
        var secret = created.Text("key");
        Assert.False(string.IsNullOrWhiteSpace(secret));
        Assert.Equal($"/api/v1/api-keys/{created.Text("id")}", response.Headers.Location?.OriginalString);

        var keyClient = factory.WithKey(secret);
        await keyClient.GetJsonAsync($"/api/v1/councils/{council}");

        var listRaw = await (await _admin.GetAsync("/api/v1/api-keys?limit=500")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, listRaw);
        var list = await _admin.GetJsonAsync("/api/v1/api-keys?limit=500");
        var listed = list.Items().Single("id", created.Text("id"));
        Assert.False(listed.TryGetProperty("key", out _));
        Assert.Equal(council, listed.Text("council"));

        var revoked = await (await _admin.DeleteAsync($"/api/v1/api-keys/{created.Text("id")}")).JsonAsync(
            HttpStatusCode.OK);
        Assert.True(revoked.TryGetProperty("revokedAt", out _));
        await (await keyClient.GetAsync($"/api/v1/councils/{council}")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await _admin.DeleteAsync($"/api/v1/api-keys/{created.Text("id")}")).ProblemAsync(
            HttpStatusCode.Conflict);
        await (await _admin.DeleteAsync($"/api/v1/api-keys/{Guid.NewGuid()}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Me_tells_a_key_its_council_and_scopes_and_never_its_secret()
    {
        var council = (await _admin.NewCouncilsAsync("K"))[0];
        var created = await _admin.PostJsonAsync(
            "/api/v1/api-keys",
            new { name = "Finance officers", council, scopes = new[] { "statements:read", "agreements:approve" } });

        var raw = await (await factory.WithKey(created.Text("key")).GetAsync("/api/v1/me")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(created.Text("key"), raw, StringComparison.Ordinal);
        var me = System.Text.Json.JsonDocument.Parse(raw).RootElement;
        Assert.Equal("Finance officers", me.Text("name"));
        Assert.Equal(council, me.Text("council"));
        Assert.Equal(
            ["agreements:approve", "statements:read"],
            me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        var admin = await _admin.GetJsonAsync("/api/v1/me");
        Assert.False(admin.TryGetProperty("council", out _));
        Assert.Equal(["admin"], admin.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        await (await factory.CreateClient().GetAsync("/api/v1/me")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Bad_key_requests_are_400_naming_the_field()
    {
        await (await _admin.PostAsJsonAsync(
            "/api/v1/api-keys",
            new { name = "x", council = (string?)null, scopes = new[] { "statements:read" } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "council");
        await (await _admin.PostAsJsonAsync(
            "/api/v1/api-keys",
            new { name = "x", council = "GHOST-9", scopes = new[] { "statements:read" } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "council");
        await (await _admin.PostAsJsonAsync(
            "/api/v1/api-keys",
            new { name = "x", council = "GHOST-9", scopes = new[] { "everything" } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "scopes[0]");
    }

    [Fact]
    public async Task A_key_without_admin_cannot_manage_keys_and_lacks_scopes_it_was_not_given()
    {
        var council = (await _admin.NewCouncilsAsync("K"))[0];
        var reader = await factory.CouncilClient(council, "statements:read");
        await (await reader.GetAsync("/api/v1/api-keys")).ProblemAsync(HttpStatusCode.Forbidden);
        var codes = await _admin.NewCouncilsAsync("P");
        var service = ApiSteps.UniqueCode("S");
        await _admin.CreateServiceAsync(service, council, [council, codes[0]]);
        await (await reader.PostCostRawAsync(service, "2024-04", 1m)).ProblemAsync(HttpStatusCode.Forbidden);
    }
}
