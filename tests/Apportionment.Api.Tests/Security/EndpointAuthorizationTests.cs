using Apportionment.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Apportionment.Api.Tests.Security;

/// <summary>
/// Walks every endpoint the app maps, so a new one cannot ship without an explicit authorization policy; only the
/// health probes and the OpenAPI document may be anonymous.
/// </summary>
public sealed class EndpointAuthorizationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly string[] OpenEndpoints = ["/health/live", "/health/ready", "/openapi/{documentName}.json", "/openapi/{documentName}.yaml"];

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
        e.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0 || e.Metadata.GetOrderedMetadata<AuthorizationPolicy>().Count > 0;

    public static bool AllowsAnonymous(Endpoint e) => e.Metadata.GetMetadata<IAllowAnonymous>() is not null;

    [Fact]
    public void Every_endpoint_names_an_authorization_policy_unless_it_is_a_known_open_one()
    {
        var offenders = AllRouteEndpoints(factory)
            .Where(e => !HasPolicy(e) || AllowsAnonymous(e))
            .Where(e => !(AllowsAnonymous(e) && OpenEndpoints.Contains(Pattern(e))))
            .Select(e => $"{string.Join(",", Methods(e))} {Pattern(e)} (policy: {HasPolicy(e)}, anonymous: {AllowsAnonymous(e)})")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(offenders.Count == 0, "Endpoints without an authorization policy, or open without being a known open one:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void No_api_endpoint_allows_anonymous_and_every_one_has_a_policy()
    {
        var api = AllRouteEndpoints(factory).Where(e => Pattern(e).StartsWith("/api/v1", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(api);
        var offenders = api.Where(e => AllowsAnonymous(e) || !HasPolicy(e)).Select(e => $"{string.Join(",", Methods(e))} {Pattern(e)}").ToList();
        Assert.True(offenders.Count == 0, "API endpoints open to anonymous callers:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_known_open_endpoints_exist_and_are_open()
    {
        var open = AllRouteEndpoints(factory).Where(AllowsAnonymous).Select(Pattern).ToHashSet(StringComparer.Ordinal);
        Assert.All(OpenEndpoints, p => Assert.Contains(p, open));
    }
}
