using System.Security.Claims;

namespace Apportionment.Api.Infrastructure.Security;

/// <summary>
/// Maps what an identity provider grants to the service's scopes, over <see cref="Scopes.All"/> so a scope added
/// there is mapped with no change here. A token value grants scope S when it equals S or S with ':' written as '.'
/// (identity providers such as Entra ID do not allow ':' in app-role values), ignoring case: <c>costs:write</c>,
/// <c>costs.write</c> and <c>Costs.Write</c> all grant costs:write. Values come from <c>scope</c> and <c>scp</c>
/// (space-separated strings or arrays) and from <c>roles</c> / <c>role</c>; anything else is ignored. <c>admin</c>
/// is granted only by the admin issuer: a council's tenant can never make its users partnership administrators.
/// </summary>
public static class TokenScopes
{
    private static readonly string[] ScopeClaims = ["scope", "scp"];
    private static readonly string[] RoleClaims = ["roles", "role"];

    public static IReadOnlyList<string> Granted(ClaimsPrincipal token, bool adminIssuer)
    {
        var values = token.Claims
            .Where(c => ScopeClaims.Contains(c.Type, StringComparer.Ordinal)
                || RoleClaims.Contains(c.Type, StringComparer.Ordinal))
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return Scopes.All
            .Where(s => values.Contains(s) || values.Contains(s.Replace(':', '.')))
            .Where(s => adminIssuer || s != Scopes.Admin)
            .ToList();
    }
}
