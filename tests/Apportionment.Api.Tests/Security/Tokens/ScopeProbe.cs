using Apportionment.Api.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace Apportionment.Api.Tests.Security.Tokens;

/// <summary>
/// Finds out through HTTP which scopes a caller holds, for any scope in <see cref="Scopes.All"/>: it calls an
/// endpoint guarded by that scope (with placeholder values, so nothing is written) and reads whether the answer is
/// the 403 naming that scope as missing.
/// </summary>
public static class ScopeProbe
{
    public static async Task<IReadOnlyList<string>> HeldScopesAsync(ApiFactory factory, HttpClient client)
    {
        var held = new List<string>();
        foreach (var scope in Scopes.All)
        {
            var endpoint = EndpointAuthorizationTests.AllRouteEndpoints(factory)
                .Where(e => EndpointAuthorizationTests.Pattern(e).StartsWith("/api/v1", StringComparison.Ordinal))
                .First(e => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == scope));
            using var request = new HttpRequestMessage(
                new HttpMethod(EndpointAuthorizationTests.Methods(endpoint).First()),
                Url(endpoint))
            {
                Content = JsonContent.Create(new { }),
            };
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
            var missing = response.StatusCode == HttpStatusCode.Forbidden
                && JsonDocument.Parse(body).RootElement.TryGetProperty("missingScope", out var m) && m
                    .GetString() == scope;
            if (!missing)
            {
                held.Add(scope);
            }
        }

        return held;
    }

    /// <summary>The endpoint's route with a placeholder for each parameter (a random guid for ids).</summary>
    public static string Url(
        RouteEndpoint endpoint) =>
        "/" + string.Join('/',
            endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
    {
        Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
        Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
        Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => Placeholder(parameter),
        _ => "",
    }))));

    private static string Placeholder(Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter) =>
        parameter.ParameterPolicies.Any(p => p.Content == "guid") ? Guid.NewGuid().ToString()
        : parameter.Name switch
        {
            "month" => "2031-01",
            "period" => "2030-31",
            "documentName" => "v1",
            _ => "NOSUCH",
        };
}
