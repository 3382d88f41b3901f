using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Apportionment.Api.Infrastructure.Security;

/// <summary>
/// <c>Authorization: Bearer</c> tokens from the trusted issuers, beside X-Api-Key. Each issuer is its own JWT bearer
/// scheme (discovery, signing keys, key rotation and validation are ASP.NET Core's); a selector sends each request to
/// the API key scheme or to the scheme of the issuer its token names. A valid token becomes the same principal an API
/// key does, so <see cref="Caller"/>, the scope policies and the council rules apply unchanged.
/// </summary>
public static class BearerAuthentication
{
    public const string SelectorScheme = "ApiKeyOrBearer";
    public const string BearerSchemeName = "Bearer";
    private const string IssuerSchemePrefix = "Bearer:";
    private const string BearerPrefix = "Bearer ";

    // Asymmetric signatures only: a token "signed" with HMAC over a public key, or not signed at all, never validates.
    private static readonly string[] AsymmetricAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <summary>
    /// When a token names a signing key the service has not seen (the issuer rolled its keys), fetch the issuer's keys
    /// before validating that very token, instead of refusing it while a background refresh runs. The fetch happens at
    /// most once per RefreshInterval (5 minutes), so unknown key ids cannot make the service hammer the issuer.
    /// IdentityModel reads this process-wide switch once, so it is set as the assembly loads, before any token code
    /// runs.
    /// </summary>
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void FetchRolledKeysBeforeValidating() =>
        AppContext.SetSwitch("Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking", true);

    public static AuthenticationBuilder AddTrustedIssuers(
        this AuthenticationBuilder builder,
        IReadOnlyList<TrustedIssuer> issuers)
    {
        for (var i = 0; i < issuers.Count; i++)
        {
            var issuer = issuers[i];
            builder.AddJwtBearer(IssuerSchemePrefix + i, o => Configure(o, issuer));
            // A key the issuer has withdrawn (perhaps compromised) stops working at the next key fetch, rather than
            // living on for an hour as part of a "last known good" configuration. Runs after JwtBearer creates the
            // manager.
            builder.Services.PostConfigure<JwtBearerOptions>(IssuerSchemePrefix + i, o =>
            {
                if (o.ConfigurationManager is BaseConfigurationManager manager)
                {
                    manager.UseLastKnownGoodConfiguration = false;
                }
            });
        }

        return builder.AddPolicyScheme(
            SelectorScheme,
            "X-Api-Key or bearer token",
            o => o.ForwardDefaultSelector = http => Select(http, issuers));
    }

    private static void Configure(JwtBearerOptions options, TrustedIssuer issuer)
    {
        options.Authority = issuer.Authority;
        options.Audience = issuer.Audience;
        options.RequireHttpsMetadata = issuer.RequireHttpsMetadata;
        // Keep the token's own claim names (sub, scp, roles) rather than the legacy WS-Federation URIs.
        options.MapInboundClaims = false;
        options.TokenValidationParameters.ValidAlgorithms = AsymmetricAlgorithms;
        options.TokenValidationParameters.ClockSkew = TimeSpan.FromMinutes(1);
        options.TokenValidationParameters.NameClaimType = "sub";
        options.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                Accept(context, issuer);
                return Task.CompletedTask;
            },
            OnAuthenticationFailed = context =>
            {
                // The exception type says why; the token itself is never logged.
                Log(context.HttpContext).LogInformation(
                    "Bearer token refused for issuer {Issuer}: {Reason}",
                    issuer.Issuer,
                    context.Exception.GetType().Name);
                return Task.CompletedTask;
            },
        };
    }

    /// <summary>
    /// Replaces the token's claims with the caller's: its issuer's council, the mapped scopes, issuer and subject.
    /// </summary>
    private static void Accept(TokenValidatedContext context, TrustedIssuer issuer)
    {
        var token = context.Principal!;
        var subject = token.FindFirstValue("sub");
        if (string.IsNullOrWhiteSpace(subject))
        {
            context.Fail("The token names no subject (sub).");
            return;
        }

        var claims = new List<Claim>
        {
            new(ApiKeyClaims.KeyName, $"{issuer.Issuer}#{subject}"),
            new(TokenClaims.Issuer, issuer.Issuer),
            new(TokenClaims.Subject, subject),
        };
        if (token.FindFirstValue("name") is { Length: > 0 } name)
        {
            claims.Add(new Claim(TokenClaims.PersonName, name.Length > 200 ? name[..200] : name));
        }

        if (!issuer.Admin)
        {
            claims.Add(new Claim(ApiKeyClaims.Council, issuer.Council!));
            // Every value counts: a claim holding several councils (a JSON array) is refused unless each is the
            // issuer's.
            var other = token.FindAll(issuer.CouncilClaim).Select(c => c.Value)
                .FirstOrDefault(named => !string.Equals(named, issuer.Council, StringComparison.OrdinalIgnoreCase));
            if (other is not null)
            {
                claims.Add(new Claim(TokenClaims.RefusedCouncil, other));
            }
        }

        var scopes = TokenScopes.Granted(token, issuer.Admin);
        claims.AddRange(scopes.Select(s => new Claim(ApiKeyClaims.Scope, s)));
        context.Principal
            = new ClaimsPrincipal(new ClaimsIdentity(claims, BearerSchemeName, ApiKeyClaims.KeyName, null));
        Log(context.HttpContext).LogDebug(
            "Bearer token of {Issuer} for subject {Subject} accepted with scopes {Scopes}",
            issuer.Issuer,
            subject,
            string.Join(' ', scopes));
    }

    /// <summary>
    /// X-Api-Key wins when present; otherwise a bearer token goes to the scheme of the issuer it names (the first one
    /// if none matches, which refuses it).
    /// </summary>
    private static string Select(HttpContext http, IReadOnlyList<TrustedIssuer> issuers)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        if (issuers.Count == 0 || http.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
            || !authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return ApiKeyAuthenticationHandler.SchemeName;
        }

        var named = UnverifiedIssuer(authorization[BearerPrefix.Length..].Trim());
        var index = issuers.ToList()
            .FindIndex(i => string.Equals(i.Issuer, named?.TrimEnd('/'), StringComparison.Ordinal));
        return IssuerSchemePrefix + Math.Max(index, 0);
    }

    // Only routes the request: the chosen scheme then validates the signature, the issuer and everything else.
    private static string? UnverifiedIssuer(string token)
    {
        var handler = new JsonWebTokenHandler();
        try
        {
            return handler.CanReadToken(token) ? handler.ReadJsonWebToken(token).Issuer : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static ILogger Log(HttpContext http) =>
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Apportionment.Security.Bearer");
}

/// <summary>Claims a bearer token's caller carries besides those an API key's does.</summary>
public static class TokenClaims
{
    public const string Issuer = "apportionment:token_issuer";
    public const string Subject = "apportionment:token_subject";

    /// <summary>
    /// The person's name as the token's name claim gives it; shown and audited beside issuer and subject.
    /// </summary>
    public const string PersonName = "apportionment:person_name";

    /// <summary>
    /// Set when the token names a council other than its issuer's: every request with it is then refused (403).
    /// </summary>
    public const string RefusedCouncil = "apportionment:refused_council";
}
