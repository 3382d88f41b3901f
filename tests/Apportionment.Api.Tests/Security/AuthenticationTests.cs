using System.Security.Cryptography;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Apportionment.Api.Tests.Security;

public sealed class AuthenticationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_thousand_wrong_keys_get_a_thousand_401s_and_change_nothing()
    {
        await Http.Expect(factory.Admin().PostAsJsonAsync("/api/v1/councils", new { code = "AAA", name = "A" }), 201);
        await Http.Expect(factory.Admin().PostAsJsonAsync("/api/v1/councils", new { code = "BBB", name = "B" }), 201);
        var (_, real) = await Http.CreateKeyAsync(factory, "AAA", [Scopes.CostsWrite]);
        var before = await Http.RowCountsAsync(factory);

        var statuses = new List<(HttpStatusCode Status, string? Type)>();
        for (var batch = 0; batch < 20; batch++)
        {
            var responses = await Task.WhenAll(
                Enumerable.Range(0, 50).Select(i => SendWithWrongKey(WrongKey(batch * 50 + i, real), batch * 50 + i)));
            statuses.AddRange(responses);
        }

        Assert.Equal(1000, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s.Status));
        Assert.All(statuses, s => Assert.Equal("application/problem+json", s.Type));
        Assert.Equal(before, await Http.RowCountsAsync(factory));
    }

    /// <summary>
    /// Random secrets shaped like real ones, near-misses of a real key, junk, and the admin key's near-misses.
    /// </summary>
    private static string WrongKey(int i, string real) => (i % 5) switch
    {
        0 => ApiKeySecrets.NewSecret(),
        1 => real[..^1] + (real[^1] == '0' ? '1' : '0'),
        2 => real.ToUpperInvariant(),
        3 => ApiFactory.AdminKey + "x",
        _ => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)),
    };

    private async Task<(HttpStatusCode, string?)> SendWithWrongKey(string key, int i)
    {
        using var client = factory.WithKey(key);
        using var response = (i % 4) switch
        {
            0 => await client.PostAsJsonAsync("/api/v1/councils", new { code = $"X{i}", name = "Intruder" }),
            1 => await client.PostAsJsonAsync(
                "/api/v1/api-keys",
                new { name = "backdoor", scopes = new[] { Scopes.Admin } }),
            2 => await client.GetAsync("/api/v1/audit"),
            _ => await client.PostAsJsonAsync("/api/v1/shared-services",
                new
                {
                    code = $"S{i}",
                    name = "x",
                    hostCouncil = "AAA",
                    members = new[] { "AAA", "BBB" },
                    startMonth = "2025-04"
                }),
        };
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task No_key_or_a_blank_or_doubled_key_is_401_problem_json()
    {
        using var none = factory.CreateClient();
        await AssertUnauthorized(await none.GetAsync("/api/v1/councils"));

        using var blank = factory.CreateClient();
        blank.DefaultRequestHeaders.TryAddWithoutValidation("X-Api-Key", " ");
        await AssertUnauthorized(await blank.GetAsync("/api/v1/councils"));

        using var doubled = factory.CreateClient();
        doubled.DefaultRequestHeaders.Add("X-Api-Key", new[] { ApiFactory.AdminKey, ApiFactory.AdminKey });
        await AssertUnauthorized(await doubled.GetAsync("/api/v1/councils"));
    }

    [Fact]
    public async Task A_revoked_key_is_refused_on_the_very_next_request()
    {
        await EnsureCouncilAsync("REV");
        var (id, key) = await Http.CreateKeyAsync(factory, "REV", [Scopes.StatementsRead]);
        using var client = factory.WithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/councils/REV")).StatusCode);

        await Http.Expect(factory.Admin().DeleteAsync($"/api/v1/api-keys/{id}"), 200);
        await AssertUnauthorized(await client.GetAsync("/api/v1/councils/REV"));
    }

    [Fact]
    public async Task An_expired_key_is_refused_and_one_expiring_today_still_works()
    {
        await EnsureCouncilAsync("EXP");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        // A key cannot be created already expired (400), so one made for today is moved back a day in the database.
        var (expiredId, expired) = await Http.CreateKeyAsync(factory, "EXP", [Scopes.StatementsRead], today);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ApportionmentDb>();
            var yesterday = today.AddDays(-1);
            await db.Database.ExecuteSqlAsync($"update api_keys set expires_on = {yesterday} where id = {expiredId}");
        }

        await AssertUnauthorized(await factory.WithKey(expired).GetAsync("/api/v1/councils/EXP"));

        var (_, lastDay) = await Http.CreateKeyAsync(factory, "EXP", [Scopes.StatementsRead], today);
        Assert.Equal(HttpStatusCode.OK, (await factory.WithKey(lastDay).GetAsync("/api/v1/councils/EXP")).StatusCode);
    }

    [Fact]
    public async Task Open_endpoints_stay_open_without_a_key()
    {
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/swagger/index.html")).StatusCode);
    }

    private async Task EnsureCouncilAsync(string code)
    {
        using var response = await factory.Admin().PostAsJsonAsync("/api/v1/councils", new { code, name = code });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict);
    }

    private static async Task AssertUnauthorized(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
    }
}
