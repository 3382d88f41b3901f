using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace Apportionment.Api.Features.Shared;

/// <summary>Conditional GETs: a council's system re-pulls a statement cheaply and sees 304 when nothing changed.</summary>
public static class ETags
{
    /// <summary>A strong ETag over the content that matters (the caller leaves out per-request fields such as generatedAt).</summary>
    public static string Of<T>(T content, JsonSerializerOptions options) =>
        "\"" + Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(content, options)))[..32] + "\"";

    /// <summary>RFC 9110: If-None-Match is a list compared weakly (W/"7" matches "7"), and * matches any current version.</summary>
    public static bool NotModified(HttpRequest request, string etag)
    {
        var current = new EntityTagHeaderValue(etag);
        return request.GetTypedHeaders().IfNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }
}
