using System.Buffers;
using System.Security.Cryptography;

namespace Apportionment.Api.Infrastructure.Http;

/// <summary>
/// An upload's body, read once to hash it (the idempotency fingerprint) and kept for a second, streaming read: the
/// first 64 KiB in memory, the rest spooled to disk by ASP.NET Core's buffering, so a large file never sits in memory.
/// </summary>
public static class HashedBody
{
    private const int Chunk = 64 * 1024;

    /// <summary>The rewindable body and the lower-case hex SHA-256 of its bytes.</summary>
    public static async Task<(Stream Body, string Sha256)> ReceiveAsync(HttpRequest request, CancellationToken ct)
    {
        request.EnableBuffering(bufferThreshold: Chunk);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                sha256.AppendData(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return (request.Body, Convert.ToHexStringLower(sha256.GetHashAndReset()));
    }
}
