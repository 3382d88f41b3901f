namespace Apportionment.Api.Infrastructure.Security;

/// <summary>
/// One identity provider whose bearer tokens the service accepts (Auth:Issuers:N). Each council issuer is bound to
/// exactly one council: every token it signs acts for that council and no other, whatever the token's claims say.
/// </summary>
public sealed class TrustedIssuer
{
    /// <summary>The issuer's identifier; discovery is read from {Authority}/.well-known/openid-configuration.</summary>
    public string Authority { get; set; } = "";

    /// <summary>The audience (aud) tokens must carry for this service.</summary>
    public string Audience { get; set; } = "";

    /// <summary>The council every token of this issuer acts for (empty only for the admin issuer).</summary>
    public string? Council { get; set; }

    /// <summary>
    /// The partnership's own administrators' issuer: the only one whose tokens may hold the admin scope.
    /// </summary>
    public bool Admin { get; set; }

    /// <summary>
    /// Discovery and keys over HTTPS only; false is meant for an issuer on the local machine or network.
    /// </summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The claim in which a token may name its council; a different council there is refused (403).</summary>
    public string CouncilClaim { get; set; } = "council";

    /// <summary>
    /// The dashboard's public client at this issuer (authorization code with PKCE, no secret). When set, the
    /// dashboard offers "sign in with your council's account" for this issuer; when empty, only API keys.
    /// </summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// The scopes the dashboard asks this issuer for: openid, plus whatever grants the service's scopes.
    /// </summary>
    public string Scope { get; set; } = "openid profile statements:read";

    /// <summary>
    /// The issuer identifier as tokens carry it in iss (OIDC discovery requires it to equal the Authority).
    /// </summary>
    public string Issuer => Authority.TrimEnd('/');
}

/// <summary>
/// Reads and checks Auth:Issuers once at start-up, so a misconfigured issuer stops the service instead of letting
/// tokens through.
/// </summary>
public static class TrustedIssuers
{
    public const string Section = "Auth:Issuers";

    public static IReadOnlyList<TrustedIssuer> Read(IConfiguration configuration)
    {
        var issuers = configuration.GetSection(Section).GetChildren()
            .Select(c => (Name: c.Path, Issuer: c.Get<TrustedIssuer>() ?? new TrustedIssuer()))
            .ToList();
        foreach (var (name, issuer) in issuers)
        {
            Require(Uri.TryCreate(issuer.Authority, UriKind.Absolute, out var authority)
                && authority.Scheme is "https" or "http",
                $"{name}:Authority must be the issuer's absolute http(s) URL.");
            Require(authority!.Scheme == "https" || !issuer.RequireHttpsMetadata,
                $"{name}:Authority is http; set {name}:RequireHttpsMetadata=false only for an issuer on a local "
                    + "network.");
            Require(!string.IsNullOrWhiteSpace(issuer.Audience), $"{name}:Audience is required.");
            Require(issuer.Admin
                ? string.IsNullOrWhiteSpace(issuer.Council)
                : !string.IsNullOrWhiteSpace(issuer.Council),
                issuer.Admin
                    ? $"{name} is the admin issuer and acts for every council: it must not name a Council."
                    : $"{name}:Council is required (the council its tokens act for).");
            Require(!string.IsNullOrWhiteSpace(issuer.CouncilClaim), $"{name}:CouncilClaim must not be empty.");
            Require(issuer.ClientId is null
                || (issuer.ClientId.Trim().Length > 0 && issuer.Scope.Split(' ').Contains("openid")),
                $"{name}:ClientId must not be blank, and {name}:Scope must include openid for the dashboard to sign in "
                    + "with it.");
        }

        Require(issuers.Count(i => i.Issuer.Admin) <= 1, $"At most one of {Section} may be the admin issuer.");
        Require(
            issuers.Select(i => i.Issuer.Issuer).Distinct(StringComparer.Ordinal).Count() == issuers.Count,
            $"Each of {Section} needs its own Authority.");
        return issuers.Select(i => i.Issuer).ToList();
    }

    private static void Require(bool ok, string message)
    {
        if (!ok)
        {
            throw new InvalidOperationException("Invalid configuration: " + message);
        }
    }
}
