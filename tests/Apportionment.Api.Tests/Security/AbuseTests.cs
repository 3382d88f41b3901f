using System.Text;
using Apportionment.Api.Infrastructure.Security;

namespace Apportionment.Api.Tests.Security;

public sealed class RateLimitTests(LowRateApiFactory factory) : IClassFixture<LowRateApiFactory>
{
    [Fact]
    public async Task A_key_that_runs_dry_gets_429_with_retry_after_and_other_keys_are_unaffected()
    {
        await Http.Expect(factory.Admin().PostAsJsonAsync("/api/v1/councils", new { code = "AAA", name = "A" }), 201);
        var (_, noisy) = await Http.CreateKeyAsync(factory, "AAA", [Scopes.StatementsRead]);
        var (_, quiet) = await Http.CreateKeyAsync(factory, "AAA", [Scopes.StatementsRead]);

        using var noisyClient = factory.WithKey(noisy);
        var responses = await Task.WhenAll(
            Enumerable.Range(0, 40).Select(_ => noisyClient.GetAsync("/api/v1/councils/AAA")));
        var rejected = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.True(rejected.Count >= 20, $"only {rejected.Count} of 40 were limited");
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests));

        var one = rejected[0];
        Assert.True(one.Headers.RetryAfter is not null, "429 without Retry-After");
        Assert.Equal("application/problem+json", one.Content.Headers.ContentType?.MediaType);
        var problem = await one.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());

        using var quietClient = factory.WithKey(quiet);
        Assert.Equal(HttpStatusCode.OK, (await quietClient.GetAsync("/api/v1/councils/AAA")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.Admin().GetAsync("/api/v1/councils/AAA")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/health/live")).StatusCode);
        foreach (var r in responses)
        {
            r.Dispose();
        }
    }
}

public sealed class AbuseTests(CapturingApiFactory factory) : IClassFixture<CapturingApiFactory>
{
    private static string Oversized()
        => JsonSerializer.Serialize(new { code = "BIG", name = new string('x', CapturingApiFactory.MaxBody * 2) });

    [Fact]
    public async Task A_body_over_the_limit_is_413_problem_json()
    {
        using var declared = new StringContent(Oversized(), Encoding.UTF8, "application/json");
        await Assert413(await factory.Admin().PostAsync("/api/v1/councils", declared));

        // No Content-Length (chunked): cut off while reading.
        using var chunked = new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes(Oversized())));
        chunked.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        await Assert413(await factory.Admin().PostAsync("/api/v1/councils", chunked));

        Assert.Equal(0, await factory.CountAsync<Apportionment.Api.Infrastructure.Persistence.Council>());
        await Http.Expect(
            factory.Admin().PostAsJsonAsync("/api/v1/councils", new { code = "SMALL", name = "Under the limit" }),
            201);
    }

    private static async Task Assert413(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(
            response.StatusCode == HttpStatusCode.RequestEntityTooLarge,
            $"expected 413, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(413, JsonDocument.Parse(text).RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Keys_never_reach_the_logs()
    {
        await Http.Expect(
            factory.Admin().PostAsJsonAsync("/api/v1/councils", new { code = "LOG", name = "Logged" }),
            201);
        var (id, key) = await Http.CreateKeyAsync(factory, "LOG", [Scopes.StatementsRead]);
        using var client = factory.WithKey(key);
        await Http.Expect(client.GetAsync("/api/v1/councils/LOG"), 200);
        await Http.Expect(client.GetAsync("/api/v1/councils/NOPE"), 404);
        await Http.Expect(client.GetAsync("/api/v1/audit"), 403);
        await Http.Expect(client.GetAsync("/api/v1/councils?limit=0"), 400);
        await Http.Expect(factory.WithKey(key + "x").GetAsync("/api/v1/councils"), 401);
        await Http.Expect(factory.WithKey(ApiFactory.AdminKey + "x").GetAsync("/api/v1/councils"), 401);
        await Http.Expect(factory.Admin().DeleteAsync($"/api/v1/api-keys/{id}"), 200);
        await Http.Expect(client.GetAsync("/api/v1/councils/LOG"), 401);

        var lines = factory.Logs.Lines.ToList();
        Assert.NotEmpty(lines);
        Assert.DoesNotContain(
            lines,
            l => l.Contains(key, StringComparison.Ordinal) || l.Contains(key[4..], StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(ApiFactory.AdminKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Security_headers_are_on_every_answer()
    {
        await factory.Admin().PostAsJsonAsync("/api/v1/councils", new { code = "HDR", name = "Headers" });
        var (_, reader) = await Http.CreateKeyAsync(factory, "HDR", [Scopes.StatementsRead]);
        using var oversized = new StringContent(Oversized(), Encoding.UTF8, "application/json");
        foreach (var response in new[]
                 {
                     await factory.Admin().GetAsync("/api/v1/version"),
                     await factory.CreateClient().GetAsync("/api/v1/version"),
                     await factory.Admin().GetAsync("/api/v1/councils/NONE"),
                     await factory.Admin().PostAsJsonAsync("/api/v1/councils", new { code = "HDR", name = "Again" }),
                     await factory.WithKey(reader).GetAsync("/api/v1/audit"),
                     await factory.WithKey(reader).GetAsync("/api/v1/councils/HDR/savings/2025-26?x=1"),
                     await factory.Admin().PostAsync("/api/v1/councils", oversized),
                     await factory.CreateClient().GetAsync("/health/live"),
                 })
        {
            Assert.True(
                response.Headers.Contains("X-Content-Type-Options"),
                $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri} has no security headers");
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            response.Dispose();
        }
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
