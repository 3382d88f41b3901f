using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Apportionment.Api.Infrastructure.Security;

/// <summary>
/// Reads X-Api-Key. The admin key comes from configuration (Auth:AdminApiKey); council keys live in the database
/// as hashes and are looked up on every request, so a revocation takes effect on the very next call.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IConfiguration configuration,
    ApportionmentDb db,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public static readonly Guid AdminKeyId = Guid.Empty;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count != 1
            || string.IsNullOrWhiteSpace(values[0]))
        {
            return AuthenticateResult.NoResult();
        }

        // Hashed once: the admin check, the lookup and the final comparison all use this hash.
        var hash = ApiKeySecrets.Hash(values[0]!);
        if (configuration["Auth:AdminApiKey"] is { Length: > 0 } admin
            && ApiKeySecrets.Matches(AdminHash.Of(admin), hash))
        {
            return Success(AdminKeyId, "admin", council: null, [Scopes.Admin]);
        }

        var key = await db.ApiKeys.AsNoTracking()
            .Where(k => k.SecretHash == hash)
            .Select(k => new { k.Id, k.Name, k.Council, k.Scopes, k.SecretHash, k.ExpiresOn, k.RevokedAt })
            .FirstOrDefaultAsync(Context.RequestAborted);

        // The lookup is by hash; the constant-time comparison guards against anything that reaches here by index
        // quirks.
        if (key is null || !ApiKeySecrets.Matches(key.SecretHash, hash))
        {
            return AuthenticateResult.Fail("Unknown API key.");
        }

        if (key.RevokedAt is not null)
        {
            return AuthenticateResult.Fail("The API key has been revoked.");
        }

        if (key.ExpiresOn is { } expires && DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime) > expires)
        {
            return AuthenticateResult.Fail("The API key has expired.");
        }

        return Success(key.Id, key.Name, key.Council, key.Scopes);
    }

    private AuthenticateResult Success(Guid id, string name, string? council, IEnumerable<string> scopes)
    {
        var claims = new List<Claim>
        {
            new(ApiKeyClaims.KeyId, id.ToString()),
            new(ApiKeyClaims.KeyName, name),
        };
        if (council is not null)
        {
            claims.Add(new Claim(ApiKeyClaims.Council, council));
        }

        claims.AddRange(scopes.Select(s => new Claim(ApiKeyClaims.Scope, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>
    /// The configured admin key's hash, worked out again only when the configured key changes (configuration can be
    /// reloaded), not on every request.
    /// </summary>
    private sealed record AdminHash(string Key, byte[] Hash)
    {
        private static AdminHash? _last;

        public static byte[] Of(string key)
        {
            var last = _last;
            if (last is null || !string.Equals(last.Key, key, StringComparison.Ordinal))
            {
                _last = last = new AdminHash(key, ApiKeySecrets.Hash(key));
            }

            return last.Hash;
        }
    }
}
