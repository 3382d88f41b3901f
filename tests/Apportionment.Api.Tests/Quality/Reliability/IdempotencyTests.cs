using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Tests.Quality.Reliability;

/// <summary>Exactly-once postings: an Idempotency-Key makes a retried write land once and answer the same.</summary>
public sealed class IdempotencyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static HttpRequestMessage Request(HttpMethod method, string url, object body, string key)
    {
        var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private async Task<(HttpStatusCode Status, string Body)> Send(
        HttpMethod method,
        string url,
        object body,
        string key,
        HttpClient? client = null)
    {
        var response = await (client ?? factory.Admin()).SendAsync(Request(method, url, body, key));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private Task<int> Postings(string service)
        => factory.WithDb(db => db.CostPostings.CountAsync(p => p.ServiceCode == service));

    [Fact]
    public async Task A_replayed_cost_posting_returns_the_original_status_and_body_and_posts_once()
    {
        var s = await Scenario.CreateAsync(factory);
        var url = $"/api/v1/shared-services/{s.Service}/costs";
        var body = new { month = "2024-05", amount = 1234.50m, category = "staff", reference = "INV-1" };
        var key = Guid.NewGuid().ToString();

        var first = await Send(HttpMethod.Post, url, body, key);
        var replay = await Send(HttpMethod.Post, url, body, key);

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(first.Status, replay.Status);
        Assert.Equal(first.Body, replay.Body);
        Assert.Equal(1, await Postings(s.Service));
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_422_and_writes_nothing()
    {
        var s = await Scenario.CreateAsync(factory);
        var url = $"/api/v1/shared-services/{s.Service}/costs";
        var key = Guid.NewGuid().ToString();
        Assert.Equal(
            HttpStatusCode.Created,
            (await Send(HttpMethod.Post, url, new { month = "2024-05", amount = 10m, category = "staff" }, key))
            .Status);

        var response = await factory.Admin()
            .SendAsync(Request(HttpMethod.Post, url, new { month = "2024-05", amount = 11m, category = "staff" }, key));
        var problem = await Scenario.Problem(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(ProblemTypes.IdempotencyMismatch, problem.GetProperty("type").GetString());
        Assert.Equal(1, await Postings(s.Service));

        // The same key on another service is a different request too.
        var other = await Scenario.CreateAsync(factory);
        var elsewhere = await factory.Admin().SendAsync(Request(
            HttpMethod.Post,
            $"/api/v1/shared-services/{other.Service}/costs",
            new { month = "2024-05", amount = 10m, category = "staff" },
            key));
        await Scenario.Problem(elsewhere, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(0, await Postings(other.Service));
    }

    [Fact]
    public async Task Keys_of_different_clients_never_collide()
    {
        var s = await Scenario.CreateAsync(factory);
        var host = await factory.CouncilClient(s.Host, "costs:write", "statements:read");
        var url = $"/api/v1/shared-services/{s.Service}/costs";
        var key = Guid.NewGuid().ToString();
        var body = new { month = "2024-05", amount = 10m, category = "staff" };
        var one = await Send(HttpMethod.Post, url, body, key);
        var two = await Send(HttpMethod.Post, url, body, key, host);
        Assert.Equal(HttpStatusCode.Created, one.Status);
        Assert.Equal(HttpStatusCode.Created, two.Status);
        Assert.NotEqual(one.Body, two.Body);
        Assert.Equal(2, await Postings(s.Service));
    }

    [Fact]
    public async Task A_replayed_reversal_returns_the_same_reversal_and_reverses_once()
    {
        var s = await Scenario.CreateAsync(factory);
        var posting = await s.PostCostAsync("2024-05", 99.99m);
        var url = $"/api/v1/costs/{posting.GetProperty("id").GetGuid()}/reversal";
        var key = Guid.NewGuid().ToString();

        var first = await Send(HttpMethod.Post, url, new { reason = "wrong invoice" }, key);
        var replay = await Send(HttpMethod.Post, url, new { reason = "wrong invoice" }, key);
        var changed = await factory.Admin()
            .SendAsync(Request(HttpMethod.Post, url, new { reason = "another reason" }, key));

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(first.Status, replay.Status);
        Assert.Equal(first.Body, replay.Body);
        await Scenario.Problem(changed, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(2, await Postings(s.Service));
    }

    [Fact]
    public async Task A_replayed_activity_return_returns_the_same_return_and_records_once()
    {
        var s = await Scenario.CreateAsync(factory);
        var url = $"/api/v1/shared-services/{s.Service}/activity/2024-05";
        var body = new
        {
            driver = "cases",
            quantities = new Dictionary<string, decimal>
            {
                [s.Host] = 10,
                [s.PartnerA] = 5.5m
            }
        };
        var key = Guid.NewGuid().ToString();

        var first = await Send(HttpMethod.Put, url, body, key);
        var replay = await Send(HttpMethod.Put, url, body, key);
        var changed = await factory.Admin().SendAsync(Request(
            HttpMethod.Put,
            url,
            new { driver = "cases", quantities = new Dictionary<string, decimal> { [s.Host] = 11 } },
            key));
        var otherMonth = await factory.Admin()
            .SendAsync(Request(HttpMethod.Put, $"/api/v1/shared-services/{s.Service}/activity/2024-06", body, key));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(first.Status, replay.Status);
        Assert.Equal(first.Body, replay.Body);
        await Scenario.Problem(changed, HttpStatusCode.UnprocessableEntity);
        await Scenario.Problem(otherMonth, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1, await factory.WithDb(db => db.ActivityReturns.CountAsync(a => a.ServiceCode == s.Service)));
    }

    [Fact]
    public async Task Twenty_racing_requests_with_one_key_make_one_posting_and_all_answer_its_id()
    {
        var s = await Scenario.CreateAsync(factory);
        var url = $"/api/v1/shared-services/{s.Service}/costs";
        var body = new { month = "2024-07", amount = 500m, category = "staff", reference = "RACE" };
        var key = Guid.NewGuid().ToString();
        var clients = Enumerable.Range(0, 20).Select(_ => factory.Admin()).ToList();
        using var start = new SemaphoreSlim(0);
        var racers = clients.Select(c => Task.Run(async () =>
        {
            await start.WaitAsync();
            return await Send(HttpMethod.Post, url, body, key, c);
        })).ToList();
        start.Release(racers.Count);
        var real = await Task.WhenAll(racers);

        Assert.Equal(20, real.Length);
        Assert.All(real, a => Assert.Equal(HttpStatusCode.Created, a.Status));
        var ids = real.Select(a => JsonDocument.Parse(a.Body).RootElement.GetProperty("id").GetGuid()).Distinct()
            .ToList();
        Assert.Single(ids);
        Assert.Equal(1, await Postings(s.Service));
        Assert.Equal(ids[0], await factory.WithDb(
            db => db.CostPostings.Where(p => p.ServiceCode == s.Service).Select(p => p.Id).SingleAsync()));
        Assert.Equal(1, await factory.WithDb(db => db.AuditEvents.CountAsync(e => e.EntityId == ids[0].ToString())));
    }
}
