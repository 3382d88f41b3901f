using Apportionment.Api.Tests.Security.Tokens;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Apportionment.Api.Tests.Security;

/// <summary>
/// Walks every endpoint the app maps, so a new one cannot ship without an explicit authorization policy; only the
/// health probes and the OpenAPI document may be anonymous; and sends every guarded operation a missing or bad key
/// and missing or bad bearer tokens, which must all be refused alike.
/// </summary>
public sealed class EndpointAuthorizationTests(TokenApiFactory factory) : IClassFixture<TokenApiFactory>
{
    private static readonly string[] OpenEndpoints
        = ["/health/live", "/health/ready", "/openapi/{documentName}.json", "/openapi/{documentName}.yaml",
        "/", "/dashboard/sign-in-options"];

    public static IReadOnlyList<RouteEndpoint> AllRouteEndpoints(ApiFactory factory)
    {
        var sources = factory.Services.GetServices<EndpointDataSource>().ToList();
        var endpoints = sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>().Distinct().ToList();
        Assert.NotEmpty(endpoints);
        return endpoints;
    }

    public static string Pattern(RouteEndpoint e) => Normalise(e.RoutePattern.RawText ?? "");

    public static string Normalise(string pattern)
    {
        while (pattern.Contains("//", StringComparison.Ordinal))
        {
            pattern = pattern.Replace("//", "/", StringComparison.Ordinal);
        }

        pattern = pattern.Length > 1 ? pattern.TrimEnd('/') : pattern;
        return pattern.StartsWith('/') ? pattern : "/" + pattern;
    }

    public static IEnumerable<string> Methods(RouteEndpoint e) =>
        e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"];

    public static bool HasPolicy(Endpoint e) =>
        e.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0
            || e.Metadata.GetOrderedMetadata<AuthorizationPolicy>().Count > 0;

    public static bool AllowsAnonymous(Endpoint e) => e.Metadata.GetMetadata<IAllowAnonymous>() is not null;

    [Fact]
    public void Every_endpoint_names_an_authorization_policy_unless_it_is_a_known_open_one()
    {
        var offenders = AllRouteEndpoints(factory)
            .Where(e => !HasPolicy(e) || AllowsAnonymous(e))
            .Where(e => !(AllowsAnonymous(e) && OpenEndpoints.Contains(Pattern(e))))
            .Select(e => $"{string.Join(",", Methods(e))} {Pattern(e)} (policy: {HasPolicy(e)}, anonymous: "
                + $"{AllowsAnonymous(e)})")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(offenders.Count == 0, "Endpoints without an authorization policy, or open without being a known "
            + "open one:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void No_api_endpoint_allows_anonymous_and_every_one_has_a_policy()
    {
        var api = AllRouteEndpoints(factory).Where(e => Pattern(e).StartsWith("/api/v1", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(api);
        var offenders = api.Where(e => AllowsAnonymous(e) || !HasPolicy(e))
            .Select(e => $"{string.Join(",", Methods(e))} {Pattern(e)}")
            .ToList();
        Assert.True(offenders.Count == 0, "API endpoints open to anonymous callers:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_known_open_endpoints_exist_and_are_open()
    {
        var open = AllRouteEndpoints(factory).Where(AllowsAnonymous).Select(Pattern).ToHashSet(StringComparer.Ordinal);
        Assert.All(OpenEndpoints, p => Assert.Contains(p, open));
    }

    [Fact]
    public async Task Every_guarded_operation_refuses_a_missing_or_bad_token_as_it_refuses_a_missing_key()
    {
        var badCredentials = new Dictionary<string, Action<HttpRequestMessage>>(StringComparer.Ordinal)
        {
            ["no credentials"] = _ => { },
            ["an unknown key"] = r => r.Headers.Add("X-Api-Key", "apk_" + new string('0', 64)),
            ["an empty bearer token"] = r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer "),
        };
        foreach (var flaw in Enum.GetValues<BearerTokenTests.Flaw>())
        {
            var token = BearerTokenTests.Flawed(factory, flaw);
            badCredentials[$"a bearer token: {flaw}"] = r => r.Headers
                .TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        var guarded = AllRouteEndpoints(factory).Where(e => HasPolicy(e) && !AllowsAnonymous(e)).ToList();
        Assert.NotEmpty(guarded);
        var failures = new List<string>();
        foreach (var endpoint in guarded)
        {
            foreach (var method in Methods(endpoint).Select(m => m == "*" ? "GET" : m))
            {
                foreach (var (what, apply) in badCredentials)
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), ScopeProbe.Url(endpoint))
                    {
                        Content = JsonContent.Create(new { })
                    };
                    apply(request);
                    using var response = await factory.CreateClient().SendAsync(request);
                    var type = response.Content.Headers.ContentType?.MediaType;
                    if (response.StatusCode != HttpStatusCode.Unauthorized || type != "application/problem+json")
                    {
                        failures.Add($"{method} {Pattern(endpoint)} with {what}: {(int)response.StatusCode} {type}");
                    }
                }
            }
        }

        Assert.True(
            failures.Count == 0,
            "Operations that did not refuse a bad credential with 401 problem+json:\n" + string.Join("\n", failures));
    }
}
