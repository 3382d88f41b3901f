using Apportionment.Api.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Tests.Quality.Reliability;

/// <summary>
/// Agreements carry their version as an ETag; If-Match stops lost updates; racing approvals all land.
/// </summary>
public sealed class ConcurrencyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static HttpRequestMessage Approve(Scenario s, Guid id, string council, string? ifMatch)
    {
        var request = new HttpRequestMessage(
            HttpMethod.Post,
            $"/api/v1/shared-services/{s.Service}/agreements/{id}/approvals")
        {
            Content = JsonContent.Create(new { council }),
        };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    private static HttpRequestMessage Withdraw(Scenario s, Guid id, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/shared-services/{s.Service}/agreements/{id}");
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    private async Task<string> ETag(Scenario s, Guid id)
    {
        var response = await factory.Admin().GetAsync($"/api/v1/shared-services/{s.Service}/agreements/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var etag = response.Headers.ETag!.ToString();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"\"{body.GetProperty("version").GetUInt32()}\"", etag);
        return etag;
    }

    [Fact]
    public async Task Approvals_and_withdrawals_with_a_stale_If_Match_are_412_problem_json_and_change_nothing()
    {
        var s = await Scenario.CreateAsync(factory);
        var admin = factory.Admin();
        var id = await s.ProposeEqualAsync("2024-05");
        var v1 = await ETag(s, id);

        var first = await admin.SendAsync(Approve(s, id, s.Host, v1));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var v2 = first.Headers.ETag!.ToString();
        Assert.NotEqual(v1, v2);
        Assert.Equal(v2, await ETag(s, id));

        var stale = await admin.SendAsync(Approve(s, id, s.PartnerA, v1));
        var problem = await Scenario.Problem(stale, HttpStatusCode.PreconditionFailed);
        Assert.Equal(ProblemTypes.PreconditionFailed, problem.GetProperty("type").GetString());
        var staleWithdraw = await admin.SendAsync(Withdraw(s, id, v1));
        await Scenario.Problem(staleWithdraw, HttpStatusCode.PreconditionFailed);
        Assert.Equal(v2, await ETag(s, id));

        var approved = await admin.SendAsync(Approve(s, id, s.PartnerA, v2));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var withdrawn = await admin.SendAsync(Withdraw(s, id, approved.Headers.ETag!.ToString()));
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Equal(
            "withdrawn",
            (await withdrawn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Two_councils_approving_at_once_both_land_and_the_agreement_is_agreed_exactly_once()
    {
        var s = await Scenario.CreateAsync(factory);
        var clients = new Dictionary<string, HttpClient>();
        foreach (var c in s.Councils)
        {
            clients[c] = await factory.CouncilClient(c, "agreements:approve", "statements:read");
        }

        for (var round = 0; round < 10; round++)
        {
            var id = await s.ProposeEqualAsync("2024-05");
            Assert.Equal(HttpStatusCode.OK, (await clients[s.Host].SendAsync(Approve(s, id, s.Host, null))).StatusCode);

            using var gate = new SemaphoreSlim(0);
            var racers = new[] { s.PartnerA, s.PartnerB }.Select(c => Task.Run(async () =>
            {
                await gate.WaitAsync();
                var response = await clients[c].SendAsync(Approve(s, id, c, null));
                return (response.StatusCode, Body: await response.Content.ReadFromJsonAsync<JsonElement>());
            })).ToList();
            gate.Release(2);
            var results = await Task.WhenAll(racers);

            Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            // Exactly one of the two saw its approval complete the agreement.
            Assert.Single(results, r => r.Body.GetProperty("status").GetString() == "agreed");
            var final = await Scenario.Json(
                factory.Admin().GetAsync($"/api/v1/shared-services/{s.Service}/agreements/{id}"));
            Assert.Equal("agreed", final.GetProperty("status").GetString());
            Assert.Equal(3, final.GetProperty("approvals").GetArrayLength());
            var agreedAt = final.GetProperty("agreedAt").GetDateTimeOffset();
            Assert.Equal(results.Single(r => r.Body.GetProperty("status").GetString() == "agreed").Body
                .GetProperty("agreedAt")
                .GetDateTimeOffset(), agreedAt);
            Assert.Equal(3, await factory.WithDb(db => db.AgreementApprovals.CountAsync(a => a.AgreementId == id)));
        }
    }
}
