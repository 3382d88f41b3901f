using Apportionment.Api.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using static Apportionment.Api.Tests.Security.SecurityWorldFactory;

namespace Apportionment.Api.Tests.Security.Tokens;

/// <summary>Bearer tokens from the councils' own identity providers, through the real pipeline.</summary>
public sealed class BearerTokenTests(TokenApiFactory factory) : IClassFixture<TokenApiFactory>
{
    public enum Flaw
    {
        Expired,
        NotYetValid,
        WrongAudience,
        WrongIssuer,
        UnsignedAlgNone,
        Hs256SignedWithThePublicKey,
        Tampered,
        SignedByAnUnknownKey,
        NotAToken,
    }

    private TestIdentityProvider Idp => factory.Idp;

    private async Task<HttpClient> AdminAsync()
    {
        var admin = factory.Admin();
        await admin.EnsureCouncilsAsync(TokenApiFactory.Councils);
        return admin;
    }

    [Fact]
    public async Task A_valid_token_acts_for_its_issuers_council_with_its_scopes()
    {
        await AdminAsync();
        using var reader = factory.TokenClient(Member, Scopes.StatementsRead);
        var council = await reader.GetJsonAsync($"/api/v1/councils/{Member}");
        Assert.Equal(Member, council.Text("code"));

        // Statements only: registering a council needs admin, which a council's token never holds.
        var refused = await (await reader.PostAsync(
            "/api/v1/councils",
            System.Net.Http.Json.JsonContent.Create(new { code = "ZZZ", name = "Z" })))
            .ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(Scopes.Admin, refused.Text("missingScope"));
    }

    [Theory]
    [InlineData(Flaw.Expired)]
    [InlineData(Flaw.NotYetValid)]
    [InlineData(Flaw.WrongAudience)]
    [InlineData(Flaw.WrongIssuer)]
    [InlineData(Flaw.UnsignedAlgNone)]
    [InlineData(Flaw.Hs256SignedWithThePublicKey)]
    [InlineData(Flaw.Tampered)]
    [InlineData(Flaw.SignedByAnUnknownKey)]
    [InlineData(Flaw.NotAToken)]
    public async Task A_flawed_token_is_401_problem_json_and_changes_nothing(Flaw flaw)
    {
        await AdminAsync();
        var before = await Http.RowCountsAsync(factory);
        using var client = factory.WithToken(Flawed(factory, flaw));

        var problem = await (await client.GetAsync($"/api/v1/councils/{Member}")).ProblemAsync(
            HttpStatusCode.Unauthorized);
        Assert.Equal("https://apportionment.example/problems/unauthenticated", problem.Text("type"));
        await (await client.PostAsync(
            "/api/v1/councils",
            System.Net.Http.Json.JsonContent.Create(new { code = "EVIL", name = "Evil" })))
            .ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(before, await Http.RowCountsAsync(factory));
    }

    /// <summary>The same token as a valid statements:read token of MEMB's issuer, but for the one flaw.</summary>
    public static string Flawed(TokenApiFactory factory, Flaw flaw)
    {
        var idp = factory.Idp;
        var scope = new Dictionary<string, object> { ["scope"] = Scopes.StatementsRead };
        var now = DateTime.UtcNow;
        return flaw switch
        {
            Flaw.Expired => idp.Mint(Member, scope, notBefore: now.AddHours(-2), expires: now.AddHours(-1)),
            Flaw.NotYetValid => idp.Mint(Member, scope, notBefore: now.AddHours(1), expires: now.AddHours(2)),
            Flaw.WrongAudience => idp.Mint(Member, scope, audience: "another-api"),
            Flaw.WrongIssuer => idp.Mint(Member, scope, issuer: idp.Issuer("ROGUE")),
            Flaw.UnsignedAlgNone => TestIdentityProvider.Unsigned(idp.Mint(Member, scope)),
            Flaw.Hs256SignedWithThePublicKey => idp.SignedWithPublicKeyAsHmacSecret(idp.Mint(Member, scope)),
            Flaw.Tampered => TestIdentityProvider.Tampered(
                idp.Mint(Member, scope),
                "scope",
                $"{Scopes.StatementsRead} {Scopes.Admin}"),
            Flaw.SignedByAnUnknownKey => idp.Mint(
                Member,
                scope,
                key: new RsaSecurityKey(
                    System.Security.Cryptography.RSA.Create(2048))
                { KeyId = idp.SigningKey.KeyId }),
            _ => "not-a-token",
        };
    }

    [Fact]
    public async Task A_token_naming_another_council_than_its_issuers_is_403_whatever_it_asks()
    {
        var admin = await AdminAsync();
        var claims = new Dictionary<string, object> { ["scope"] = Scopes.StatementsRead, ["council"] = Host };
        using var crossing = factory.WithToken(Idp.Mint(Member, claims));

        foreach (var url in new[] { $"/api/v1/councils/{Host}", $"/api/v1/councils/{Member}", "/api/v1/version" })
        {
            var problem = await (await crossing.GetAsync(url)).ProblemAsync(HttpStatusCode.Forbidden);
            Assert.Contains($"'{Host}'", problem.Text("detail"), StringComparison.Ordinal);
            Assert.Contains($"'{Member}'", problem.Text("detail"), StringComparison.Ordinal);
        }

        // Naming its own council is fine; the admin issuer's token acts for every council.
        claims["council"] = Member;
        await factory.WithToken(Idp.Mint(Member, claims)).GetJsonAsync($"/api/v1/councils/{Member}");
        await factory.TokenClient(null, Scopes.Admin).GetJsonAsync($"/api/v1/councils/{Host}");
        Assert.NotNull(admin);
    }

    [Fact]
    public async Task A_council_claim_holding_several_values_is_refused_unless_every_one_is_the_issuers()
    {
        await AdminAsync();
        var claims = new Dictionary<string, object>
        {
            ["scope"] = Scopes.StatementsRead,
            ["council"] = new[] { Member, Host }
        };
        var problem = await (await factory.WithToken(Idp.Mint(Member, claims)).GetAsync($"/api/v1/councils/{Member}"))
            .ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains($"'{Host}'", problem.Text("detail"), StringComparison.Ordinal);

        claims["council"] = new[] { Member, Member };
        await factory.WithToken(Idp.Mint(Member, claims)).GetJsonAsync($"/api/v1/councils/{Member}");
    }

    [Fact]
    public async Task
        A_token_of_the_admin_issuer_without_admin_acts_for_no_council_and_cannot_list_every_councils_webhooks()
    {
        var admin = await AdminAsync();
        await admin.PostJsonAsync(
            "/api/v1/webhooks",
            new { council = Member, url = "https://93.184.215.14/hook", events = new[] { "period.closed" } });
        using var noCouncil = factory.TokenClient(null, Scopes.WebhooksManage);

        var problem = await (await noCouncil.GetAsync("/api/v1/webhooks")).ProblemAsync(HttpStatusCode.Forbidden);

        Assert.DoesNotContain("93.184.215.14", problem.ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, object, string[]> Mappings => new()
    {
        // tenant, claim, value, scopes it grants
        { Member, "scope", "costs:write statements:read", [Scopes.CostsWrite, Scopes.StatementsRead] },
        {
            Member,
            "scp",
            new[] { "agreements:approve", "statements:read" },
            [Scopes.StatementsRead, Scopes.AgreementsApprove] },
        { Member, "scp", "Costs.Write", [Scopes.CostsWrite] },
        {
            Member,
            "roles",
            new[] { "statements.read", "Agreements.Approve" },
            [Scopes.StatementsRead, Scopes.AgreementsApprove] },
        { Member, "role", "costs:write", [Scopes.CostsWrite] },
        { Member, "scope", "openid profile email costs:writer", [] },
        { Member, "scope", "admin", [] },
        { Member, "roles", new[] { "Admin" }, [] },
        { TokenApiFactory.AdminTenant, "roles", new[] { "admin" }, Scopes.All.ToArray() },
        { TokenApiFactory.AdminTenant, "scp", "statements.read", [Scopes.StatementsRead] },
    };

    [Theory]
    [MemberData(nameof(Mappings))]
    public async Task Token_scopes_and_roles_map_to_scopes_exactly_as_documented(
        string tenant,
        string claim,
        object value,
        string[] expected)
    {
        await AdminAsync();
        using var client = factory.WithToken(Idp.Mint(tenant, new Dictionary<string, object> { [claim] = value }));
        var held = await ScopeProbe.HeldScopesAsync(factory, client);
        Assert.Equal(expected.Order(StringComparer.Ordinal), held.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_scope_the_service_knows_maps_from_its_name_and_its_dotted_form()
    {
        await AdminAsync();
        foreach (var scope in Scopes.All.Where(s => s != Scopes.Admin))
        {
            foreach (var (claim, value) in new (string, object)[] {
                ("scope", scope),
                ("scp", new[] { scope.Replace(':', '.').ToUpperInvariant() }),
                ("roles", new[] { scope }) })
            {
                using var client = factory.WithToken(
                    Idp.Mint(Member, new Dictionary<string, object> { [claim] = value }));
                Assert.Equal([scope], await ScopeProbe.HeldScopesAsync(factory, client));
            }
        }
    }

    [Fact]
    public async Task The_audit_trail_and_logs_name_the_tokens_issuer_and_subject_never_the_token()
    {
        var admin = await AdminAsync();
        var service = await admin.ServiceWithFixedSplitAsync("TOK", "2025-04", (Member, 60m), (Host, 40m));
        var token = Idp.Mint(
            Member,
            new Dictionary<string, object> { ["scope"] = Scopes.CostsWrite, ["sub"] = "alice-7f3" });
        using var client = factory.WithToken(token);
        var posting = await client.PostCostAsync(service, "2025-05", 123.45m);

        var trail = await admin.GetJsonAsync($"/api/v1/audit?entity=cost-posting&council={Member}&limit=500");
        var ev = Assert.Single(trail.Items(), e => e.Text("entityId") == posting.Text("id"));
        Assert.Equal($"{Idp.Issuer(Member)}#alice-7f3", ev.Text("keyName"));
        Assert.Equal(Member, ev.Text("council"));
        Assert.Equal(
            JsonValueKind.Null,
            ev.TryGetProperty("keyId", out var keyId) ? keyId.ValueKind : JsonValueKind.Null);

        var rows = await factory.WithDb(
            db => db.Database.SqlQueryRaw<string>("select t::text as \"Value\" from audit_events t").ToListAsync());
        Assert.DoesNotContain(rows, r => r.Contains(token.Split('.')[2], StringComparison.Ordinal)
            || r.Contains(token.Split('.')[1], StringComparison.Ordinal));

        var lines = factory.Logs.Lines.ToList();
        Assert.Contains(lines, l => l.Contains($"TokenIssuer={Idp.Issuer(Member)}", StringComparison.Ordinal)
            && l.Contains("TokenSubject=alice-7f3", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(token.Split('.')[1], StringComparison.Ordinal)
            || l.Contains(token.Split('.')[2], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_subjects_reusing_an_idempotency_key_do_not_collide()
    {
        var admin = await AdminAsync();
        var service = await admin.ServiceWithFixedSplitAsync("IDM", "2025-04", (Member, 50m), (Host, 50m));
        var first = factory.WithToken(
            Idp.Mint(Member, new Dictionary<string, object> { ["scope"] = Scopes.CostsWrite, ["sub"] = "first" }));
        var second = factory.WithToken(
            Idp.Mint(Member, new Dictionary<string, object> { ["scope"] = Scopes.CostsWrite, ["sub"] = "second" }));

        var a = await (await first.PostCostRawAsync(service, "2025-05", 10m, idempotencyKey: "same-key")).JsonAsync(
            HttpStatusCode.Created);
        var b = await (await second.PostCostRawAsync(service, "2025-05", 20m, idempotencyKey: "same-key")).JsonAsync(
            HttpStatusCode.Created);
        Assert.NotEqual(a.Text("id"), b.Text("id"));
        Assert.Equal(20m, b.Money("amount"));
    }
}
