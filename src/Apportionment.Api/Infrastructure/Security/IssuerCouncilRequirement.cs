using Microsoft.AspNetCore.Authorization;

namespace Apportionment.Api.Infrastructure.Security;

/// <summary>
/// Part of every policy: a token that names a council other than the one its issuer is bound to is refused outright,
/// so a council's tenant can never act, or appear to act, for another council. API keys never carry the claim.
/// </summary>
public sealed class IssuerCouncilRequirement : IAuthorizationRequirement;

public sealed class IssuerCouncilRequirementHandler : AuthorizationHandler<IssuerCouncilRequirement>
{
    protected override Task HandleRequirementAsync(
        AuthorizationHandlerContext context,
        IssuerCouncilRequirement requirement)
    {
        var named = context.User.FindFirst(TokenClaims.RefusedCouncil)?.Value;
        if (named is null)
        {
            context.Succeed(requirement);
        }
        else
        {
            var bound = context.User.FindFirst(ApiKeyClaims.Council)?.Value;
            var issuer = context.User.FindFirst(TokenClaims.Issuer)?.Value;
            context.Fail(new AuthorizationFailureReason(this,
                $"This token names council '{named}', but its issuer '{issuer}' is trusted only for council "
                    + $"'{bound}'."));
        }

        return Task.CompletedTask;
    }
}
