using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Apportionment.Api.Infrastructure.Security;

public static class SecuritySetup
{
    public static IServiceCollection AddApportionmentSecurity(
        this IServiceCollection services,
        IConfiguration configuration)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<Caller>();
        var issuers = TrustedIssuers.Read(configuration);
        services.AddSingleton(issuers);
        services.AddAuthentication(BearerAuthentication.SelectorScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(
                ApiKeyAuthenticationHandler.SchemeName,
                null)
            .AddTrustedIssuers(issuers);

        // Every policy, the default and fallback ones included, refuses a token naming another council than its
        // issuer's.
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(Authenticated().Build())
            .SetFallbackPolicy(Authenticated().Build())
            .AddScopePolicies();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        services.AddSingleton<IAuthorizationHandler, ScopeRequirementHandler>();
        services.AddSingleton<IAuthorizationHandler, IssuerCouncilRequirementHandler>();
        services.AddTransient<IStartupFilter, SecurityStartupFilter>();

        var permits = configuration.GetValue("RateLimiting:PermitsPerSecond", 500);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // One bucket per key (per issuer and subject for a token): a noisy finance system cannot starve the other
            // councils.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                RateLimitPartition.GetTokenBucketLimiter(
                    http.User.FindFirst(ApiKeyClaims.KeyId)?.Value ?? http.User.FindFirst(ApiKeyClaims.KeyName)?.Value
                        ?? http.Connection.RemoteIpAddress?.ToString() ?? "anonymous",
                    _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = permits * 2,
                        TokensPerPeriod = permits,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
            o.OnRejected = async (ctx, ct) =>
            {
                ctx.HttpContext.Response.Headers.RetryAfter = "1";
                await ctx.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>()
                    .WriteAsync(new ProblemDetailsContext
                    {
                        HttpContext = ctx.HttpContext,
                        ProblemDetails = new ProblemDetails
                        {
                            Status = 429, Type = ProblemTypes.TooManyRequests, Title = "Too many requests.",
                            Detail = "This key has exceeded its request rate; retry after the interval in "
                                    + "Retry-After.",
                        },
                    });
            };
        });
        return services;
    }

    private static AuthorizationPolicyBuilder Authenticated() =>
        new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new IssuerCouncilRequirement());

    private static AuthorizationBuilder AddScopePolicies(this AuthorizationBuilder builder)
    {
        foreach (var scope in Scopes.All)
        {
            builder.AddPolicy(scope, Authenticated().AddRequirements(new ScopeRequirement(scope)).Build());
        }

        return builder;
    }
}

/// <summary>Needs the scope, or admin (which holds every scope); the 403 problem names the one missing.</summary>
public sealed record ScopeRequirement(string Scope) : IAuthorizationRequirement;

public sealed class ScopeRequirementHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (context.User.HasClaim(ApiKeyClaims.Scope, requirement.Scope)
            || context.User.HasClaim(ApiKeyClaims.Scope, Scopes.Admin))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
