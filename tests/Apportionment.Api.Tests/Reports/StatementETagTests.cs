using System.Net.Http.Headers;

namespace Apportionment.Api.Tests.Reports;

/// <summary>
/// A council's system re-pulls its statement: 304 while the figures stand, a fresh ETag once they change.
/// </summary>
public sealed class StatementETagTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task An_unchanged_statement_answers_304_and_a_new_posting_changes_its_etag()
    {
        var admin = factory.Admin();
        var (a, b) = (ApiSteps.UniqueCode("A"), ApiSteps.UniqueCode("B"));
        await admin.EnsureCouncilsAsync(a, b);
        var service = await admin.ServiceWithFixedSplitAsync("IT", "2024-04", (a, 50m), (b, 50m));
        await admin.PostCostAsync(service, "2024-05", 1_000.00m);
        var url = $"/api/v1/councils/{b}/recharge-statements/2024-25";

        var first = await admin.GetAsync(url);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await admin.SendAsync(again)).StatusCode);

        using var csv = ApiSteps.AcceptCsv(url);
        csv.Headers.IfNoneMatch.Add(etag);
        var csvResponse = await admin.SendAsync(csv);
        Assert.Equal(HttpStatusCode.OK, csvResponse.StatusCode);          // a different representation, a different tag
        Assert.NotEqual(etag, csvResponse.Headers.ETag);

        await admin.PostCostAsync(service, "2024-06", 10.00m);
        using var afterPosting = new HttpRequestMessage(HttpMethod.Get, url);
        afterPosting.Headers.IfNoneMatch.Add(etag);
        var changed = await admin.SendAsync(afterPosting);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
        Assert.Equal(505.00m, (await changed.JsonAsync(HttpStatusCode.OK)).LineFor(service).Money("share"));
    }
}
