using System.Security.Claims;

namespace Apportionment.Api.Infrastructure.Security;

/// <summary>
/// The key or bearer token behind the current request, and the council rules every handler applies with it. Both
/// prove themselves as the same claims (see ApiKeyAuthenticationHandler and BearerAuthentication), so nothing here
/// depends on how the request authenticated; a token has no key id and is named by its issuer and subject.
/// </summary>
public sealed class Caller(IHttpContextAccessor accessor)
{
    // Inside an HTTP request the caller is always the request's own principal: the ambient system principal is
    // consulted only when there is no HttpContext at all (start-up work such as loading demo data).
    private ClaimsPrincipal User
        => accessor.HttpContext is { } http ? http.User : SystemCaller.Current ?? new ClaimsPrincipal();

    public Guid? KeyId => Guid.TryParse(User.FindFirstValue(ApiKeyClaims.KeyId), out var id) ? id : null;
    public string KeyName => User.FindFirstValue(ApiKeyClaims.KeyName) ?? "system";
    public string? Council => User.FindFirstValue(ApiKeyClaims.Council);
    public bool IsAdmin => User.HasClaim(ApiKeyClaims.Scope, Scopes.Admin);
    public IReadOnlyList<string> ScopesHeld
        => User.FindAll(ApiKeyClaims.Scope).Select(c => c.Value).Order(StringComparer.Ordinal).ToList();
    public string? TokenIssuer => User.FindFirstValue(TokenClaims.Issuer);
    public string? TokenSubject => User.FindFirstValue(TokenClaims.Subject);
    public string? PersonName => User.FindFirstValue(TokenClaims.PersonName);

    /// <summary>
    /// Identifies the client for idempotency keys, so two councils' keys (or tokens' subjects) never collide.
    /// </summary>
    public string ClientId => KeyId?.ToString() ?? (TokenSubject is null ? "anonymous" : "token:" + KeyName);

    /// <summary>A council key may act only for its own council.</summary>
    public void EnsureActsFor(string council, string what)
    {
        if (!IsAdmin && !string.Equals(Council, council, StringComparison.Ordinal))
        {
            throw new ForbiddenException(
                $"This key belongs to council '{Council}' and cannot {what} for council '{council}'.");
        }
    }

    /// <summary>
    /// A council key sees and writes only services its council belongs to; to it, any other service does not exist
    /// (the caller answers 404 exactly as for an unknown code, so no key can learn which services exist).
    /// </summary>
    public bool CanSee(IEnumerable<string> members)
        => IsAdmin || (Council is not null && members.Contains(Council, StringComparer.Ordinal));
}

/// <summary>
/// An explicit, ambient admin identity for background work that has no request (e.g. the demo data loader), so it
/// can go through the same Mediator commands — validation, transaction, audit — as an API client. It is opened only
/// by code (<see cref="Begin"/>), flows with the async context until disposed, carries no key id, and is ignored
/// whenever an HttpContext exists, so no request can ever run under it.
/// </summary>
public static class SystemCaller
{
    private static readonly AsyncLocal<ClaimsPrincipal?> Ambient = new();

    internal static ClaimsPrincipal? Current => Ambient.Value;

    /// <summary>
    /// Runs the rest of this async flow as the admin identity <c>system:{purpose}</c> until disposed.
    /// </summary>
    public static IDisposable Begin(string purpose)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(purpose);
        var previous = Ambient.Value;
        Ambient.Value = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ApiKeyClaims.KeyName, "system:" + purpose), new Claim(ApiKeyClaims.Scope, Scopes.Admin)],
            authenticationType: "System"));
        return new Restore(previous);
    }

    private sealed class Restore(ClaimsPrincipal? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
