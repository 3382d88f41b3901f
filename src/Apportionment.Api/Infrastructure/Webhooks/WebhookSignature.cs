using System.Security.Cryptography;
using System.Text;

namespace Apportionment.Api.Infrastructure.Webhooks;

/// <summary>
/// Standard Webhooks 1.0 signing: <c>v1,</c> + base64 HMAC-SHA256, keyed by the base64 bytes after <c>whsec_</c>, over
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>. Several signatures are space-separated; a receiver accepts any one.
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";

    /// <summary>A new signing secret: 32 random bytes, as Standard Webhooks recommends (24–64).</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var key = Convert.FromBase64String(
            secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }

    /// <summary>
    /// The header value: the current secret's signature, then the previous one's during a rotation's overlap.
    /// </summary>
    public static string Header(IEnumerable<string> secrets, string id, long timestamp, string body) =>
        string.Join(' ', secrets.Select(s => Sign(s, id, timestamp, body)));
}
