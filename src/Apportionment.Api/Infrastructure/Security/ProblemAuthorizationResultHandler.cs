using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;

namespace Apportionment.Api.Infrastructure.Security;

/// <summary>
/// 401 and 403 as problem+json; a 403 names the scope the caller lacks, or the council its token may not name.
/// </summary>
public sealed class ProblemAuthorizationResultHandler(
    IProblemDetailsService problems,
    IReadOnlyList<TrustedIssuer> issuers) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(
        RequestDelegate next,
        HttpContext context,
        AuthorizationPolicy policy,
        PolicyAuthorizationResult result)
    {
        if (result.Succeeded)
        {
            await _default.HandleAsync(next, context, policy, result);
            return;
        }

        ProblemDetails problem;
        if (result.Challenged || context.User.Identity?.IsAuthenticated != true)
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = issuers.Count == 0
                ? ApiKeyAuthenticationHandler.SchemeName
                : $"{ApiKeyAuthenticationHandler.SchemeName}, {BearerAuthentication.BearerSchemeName}";
            problem = new ProblemDetails
            {
                Status = 401, Type = ProblemTypes.Unauthenticated, Title = "Authentication required.",
                Detail = issuers.Count == 0
                    ? $"Send a valid, unrevoked, unexpired API key in the {ApiKeyAuthenticationHandler.HeaderName} "
                        + "header."
                    : $"Send a valid, unrevoked, unexpired API key in the {ApiKeyAuthenticationHandler.HeaderName} "
                        + "header, "
                        + "or a valid, unexpired bearer token of a trusted issuer in the Authorization header.",
            };
        }
        else if (result.AuthorizationFailure?.FailureReasons
            .FirstOrDefault(r => r.Handler is IssuerCouncilRequirementHandler) is { } refused)
        {
            context.Response.StatusCode = 403;
            problem = new ProblemDetails
            {
                Status = 403,
                Type = ProblemTypes.Forbidden,
                Title = "Forbidden.",
                Detail = refused.Message
            };
        }
        else
        {
            var missing = policy.Requirements.OfType<ScopeRequirement>().Select(r => r.Scope).FirstOrDefault()
                ?? "unknown";
            context.Response.StatusCode = 403;
            problem = new ProblemDetails
            {
                Status = 403, Type = ProblemTypes.Forbidden, Title = "Forbidden.",
                Detail = $"This key lacks the scope '{missing}'.",
            };
            problem.Extensions["missingScope"] = missing;
        }

        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
