using System.Net.Http.Headers;
using System.Text;
using Apportionment.Api.Tests.Quality.Reliability;

namespace Apportionment.Api.Tests.Input;

/// <summary>
/// Every error is problem+json with a documented type, whatever the client's Accept header (a spreadsheet link asks
/// for text/csv, a browser for text/html), on real Kestrel so a %00 in the path is decoded as a live server does.
/// </summary>
public sealed class ErrorFormatTests(SmallBodyApiFactory factory) : IClassFixture<SmallBodyApiFactory>
{
    private const string Problems = "https://apportionment.example/problems/";

    public static TheoryData<string> Accepts()
        => ["text/csv", "text/html,application/xhtml+xml,*/*;q=0.8", "*/*", "image/png", "application/xml"];

    [Theory]
    [MemberData(nameof(Accepts))]
    public async Task Errors_are_problem_json_with_their_documented_type_whatever_the_accept_header(string accept)
    {
        var council = ApiSteps.UniqueCode("ERR");
        await factory.Admin().EnsureCouncilsAsync(council);
        var councilKey = await CouncilKeyAsync(council);

        await AssertProblem(
            accept,
            null,
            HttpMethod.Get,
            "/api/v1/councils",
            null,
            HttpStatusCode.Unauthorized,
            "unauthenticated");
        await AssertProblem(
            accept,
            "not-a-key",
            HttpMethod.Get,
            "/api/v1/councils",
            null,
            HttpStatusCode.Unauthorized,
            "unauthenticated");
        await AssertProblem(
            accept,
            councilKey,
            HttpMethod.Get,
            "/api/v1/api-keys",
            null,
            HttpStatusCode.Forbidden,
            "forbidden");
        await AssertProblem(
            accept,
            ApiFactory.AdminKey,
            HttpMethod.Get,
            "/api/v1/councils/NOPE99",
            null,
            HttpStatusCode.NotFound,
            "not-found");
        await AssertProblem(
            accept,
            ApiFactory.AdminKey,
            HttpMethod.Get,
            "/api/v1/no-such-thing",
            null,
            HttpStatusCode.NotFound,
            "not-found");
        await AssertProblem(
            accept,
            ApiFactory.AdminKey,
            HttpMethod.Get,
            "/api/v1/costs/not-a-guid",
            null,
            HttpStatusCode.NotFound,
            "not-found");
        await AssertProblem(
            accept,
            ApiFactory.AdminKey,
            HttpMethod.Delete,
            "/api/v1/councils",
            null,
            HttpStatusCode.MethodNotAllowed,
            "method-not-allowed");
        await AssertProblem(
            accept,
            ApiFactory.AdminKey,
            HttpMethod.Post,
            "/api/v1/councils",
            new StringContent("code=X", Encoding.UTF8, "text/plain"),
            HttpStatusCode.UnsupportedMediaType,
            "unsupported-media-type");
        await AssertProblem(
            accept,
            ApiFactory.AdminKey,
            HttpMethod.Post,
            "/api/v1/councils",
            new StringContent("{}", Encoding.UTF8, "application/json"),
            HttpStatusCode.BadRequest,
            "validation");
    }

    [Theory]
    [InlineData("/api/v1/audit?from=yesterday", "from")]
    [InlineData("/api/v1/councils?offset=first", "offset")]
    [InlineData("/api/v1/councils?limit=1e3", "limit")]
    [InlineData("/api/v1/shared-services?council=%00", "council")]
    [InlineData("/api/v1/shared-services?council=MDDC%0A", "council")]
    [InlineData("/api/v1/councils/AB%0ACD", "code")]
    public async Task A_bad_query_or_path_parameter_is_a_400_naming_it(string url, string parameter)
    {
        var problem = await factory.Admin().GetAsync(url);

        var body = await problem.ProblemAsync(HttpStatusCode.BadRequest, parameter);
        Assert.Equal(Problems + "validation", body.Text("type"));
    }

    [Fact]
    public async Task Kestrel_refuses_a_nul_in_the_path_as_a_bad_request_before_the_service_sees_it()
    {
        // Kestrel rejects a request target that decodes to NUL itself (no application code runs, so no problem body);
        // InputTests shows the service's own answer when such a path does reach it.
        var response = await factory.Admin().GetAsync("/api/v1/councils/AB%00CD");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_post_without_a_body_says_a_json_body_is_required()
    {
        var response = await factory.Admin()
            .PostAsync("/api/v1/councils", new StringContent("", Encoding.UTF8, "application/json"));

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "body");
        Assert.Equal("A JSON body is required.", problem.GetProperty("errors").GetProperty("body")[0].GetString());
    }

    private async Task<string> CouncilKeyAsync(string council)
    {
        var created = await factory.Admin().PostJsonAsync(
            "/api/v1/api-keys",
            new { name = "statements only", council, scopes = new[] { "statements:read" } });
        return created.Text("key");
    }

    private async Task AssertProblem(
        string accept,
        string? key,
        HttpMethod method,
        string url,
        HttpContent? content,
        HttpStatusCode status,
        string type)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.Accept.ParseAdd(accept);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        var response = await client.SendAsync(request);

        var problem = await response.ProblemAsync(status);
        Assert.Equal(Problems + type, problem.Text("type"));
        Assert.False(string.IsNullOrEmpty(problem.Text("title")), $"{method} {url}: no title");
    }
}
