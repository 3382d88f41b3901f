using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Apportionment.Api.Tests.Security.Tokens;

/// <summary>
/// A stand-in identity provider on loopback (Kestrel, no internet): each tenant at /{tenant} has its OIDC discovery
/// document and JWKS, and tokens are minted with the current RSA key. <see cref="RotateKey"/> publishes a new key
/// (new kid) and withdraws the old one, as a real issuer rolls its keys.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string Audience = "apportionment-api";

    private readonly WebApplication _app;
    private RsaSecurityKey _key = NewKey();

    private TestIdentityProvider(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public RsaSecurityKey SigningKey => _key;

    public static async Task<TestIdentityProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var idp = new TestIdentityProvider(app);
        app.MapGet("/{tenant}/.well-known/openid-configuration", (string tenant) => Results
            .Json(new Dictionary<string, object>
            {
                ["issuer"] = idp.Issuer(tenant),
                ["jwks_uri"] = idp.Issuer(tenant) + "/jwks",
                ["token_endpoint"] = idp.Issuer(tenant) + "/token",
                ["response_types_supported"] = new[] { "token" },
                ["subject_types_supported"] = new[] { "public" },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            }));
        app.MapGet("/{tenant}/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(
                new RsaSecurityKey(idp._key.Rsa.ExportParameters(false)) { KeyId = idp._key.KeyId });
            return Results.Json(new
            {
                keys = new[] {
                new { kty = jwk.Kty, use = "sig", alg = "RS256", kid = jwk.Kid, n = jwk.N, e = jwk.E } }
            });
        });
        await app.StartAsync();
        idp.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First();
        return idp;
    }

    public string Issuer(string tenant) => $"{BaseUrl}/{tenant}";

    /// <summary>The new key signs from now on; the old one is no longer published.</summary>
    public void RotateKey() => _key = NewKey();

    /// <summary>
    /// A token of the tenant, valid now for five minutes, with the given claims (arrays become JSON arrays).
    /// </summary>
    public string Mint(string tenant, IDictionary<string, object>? claims = null, string? audience = Audience,
        DateTime? notBefore = null, DateTime? expires = null, string? issuer = null, SecurityKey? key = null)
    {
        var now = DateTime.UtcNow;
        var payload = new Dictionary<string, object> { ["sub"] = $"user-{tenant}" };
        foreach (var (name, value) in claims ?? new Dictionary<string, object>())
        {
            payload[name] = value;
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }
            .CreateToken(new SecurityTokenDescriptor
            {
                Issuer = issuer ?? Issuer(tenant),
                Audience = audience,
                Claims = payload,
                IssuedAt = (notBefore ?? now).AddSeconds(-1),
                NotBefore = notBefore ?? now.AddSeconds(-1),
                Expires = expires ?? now.AddMinutes(5),
                SigningCredentials = new SigningCredentials(key ?? _key, SecurityAlgorithms.RsaSha256),
            });
    }

    /// <summary>
    /// The token re-signed with HMAC-SHA256 using the issuer's public key (PEM) as the secret: the classic algorithm
    /// confusion.
    /// </summary>
    public string SignedWithPublicKeyAsHmacSecret(string token)
    {
        var secret = Encoding.ASCII.GetBytes(_key.Rsa.ExportSubjectPublicKeyInfoPem());
        var parts = token.Split('.');
        var header = Base64UrlEncoder.Encode(JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = ReadHeader(parts[0]).GetProperty("kid").GetString()!,
        }));
        var signature = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(header + "." + parts[1]));
        return $"{header}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}";
    }

    /// <summary>The token's payload with <c>alg: none</c> and no signature.</summary>
    public static string Unsigned(string token)
    {
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        return $"{header}.{token.Split('.')[1]}.";
    }

    /// <summary>The token with one payload claim changed and the original signature kept.</summary>
    public static string Tampered(string token, string claim, object value)
    {
        var parts = token.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.Decode(parts[1]))!
            .ToDictionary(p => p.Key, p => (object)p.Value);
        payload[claim] = value;
        return $"{parts[0]}.{Base64UrlEncoder.Encode(JsonSerializer.Serialize(payload))}.{parts[2]}";
    }

    private static JsonElement ReadHeader(string part) => JsonDocument.Parse(Base64UrlEncoder.Decode(part)).RootElement;

    private static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
