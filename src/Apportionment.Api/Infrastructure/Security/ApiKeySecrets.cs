using System.Security.Cryptography;
using System.Text;

namespace Apportionment.Api.Infrastructure.Security;

/// <summary>256-bit random secrets, stored only as their SHA-256 and compared in constant time.</summary>
public static class ApiKeySecrets
{
    public const string Prefix = "apk_";

    public static string NewSecret() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>The presented key's hash against a stored one, in constant time.</summary>
    public static bool Matches(byte[] expectedHash, byte[] presentedHash) =>
        CryptographicOperations.FixedTimeEquals(expectedHash, presentedHash);
}
