using System.Security.Claims;
using Apportionment.Api.Infrastructure.Errors;

namespace Apportionment.Api.Infrastructure.Security;

/// <summary>The key behind the current request, and the council rules every handler applies with it.</summary>
public sealed class Caller(IHttpContextAccessor accessor)
{
    private ClaimsPrincipal User => accessor.HttpContext?.User ?? new ClaimsPrincipal();

    public Guid? KeyId => Guid.TryParse(User.FindFirstValue(ApiKeyClaims.KeyId), out var id) ? id : null;
    public string KeyName => User.FindFirstValue(ApiKeyClaims.KeyName) ?? "system";
    public string? Council => User.FindFirstValue(ApiKeyClaims.Council);
    public bool IsAdmin => User.HasClaim(ApiKeyClaims.Scope, Scopes.Admin);

    /// <summary>Identifies the client for idempotency keys, so two councils' keys never collide.</summary>
    public string ClientId => KeyId?.ToString() ?? "anonymous";

    /// <summary>A council key may act only for its own council.</summary>
    public void EnsureActsFor(string council, string what)
    {
        if (!IsAdmin && !string.Equals(Council, council, StringComparison.Ordinal))
        {
            throw new ForbiddenException($"This key belongs to council '{Council}' and cannot {what} for council '{council}'.");
        }
    }

    /// <summary>A council key sees and writes only services its council belongs to.</summary>
    public void EnsureMemberOf(IEnumerable<string> members, string service)
    {
        if (!IsAdmin && (Council is null || !members.Contains(Council, StringComparer.Ordinal)))
        {
            throw new ForbiddenException($"Council '{Council}' is not a member of shared service '{service}'.");
        }
    }
}
