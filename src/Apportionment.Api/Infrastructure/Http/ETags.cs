using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace Apportionment.Api.Infrastructure.Http;

/// <summary>
/// Conditional GETs: a council's system re-pulls a statement cheaply and sees 304 when nothing changed.
/// </summary>
public static class ETags
{
    /// <summary>
    /// The JSON of <paramref name="content"/>, serialised once so the same bytes are hashed and sent, and a strong ETag
    /// over them for the representation asked for (JSON, CSV or xlsx). <paramref name="perRequest"/> names a top-level
    /// property left out of the tag (e.g. generatedAt), so fetching unchanged figures again still answers 304.
    /// </summary>
    public static (byte[] Json, string ETag) Serialise<T>(
        T content,
        JsonSerializerOptions options,
        ReportFormat format,
        string? perRequest = null)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(content, options);
        var (start, end) = perRequest is null
            ? (json.Length, json.Length)
            : SpanOf(json, options.PropertyNamingPolicy?.ConvertName(perRequest) ?? perRequest);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(json, 0, start);
        hash.AppendData(json, end, json.Length - end);
        hash.AppendData(format switch { ReportFormat.Csv => "csv"u8, ReportFormat.Xlsx => "xlsx"u8, _ => "json"u8 });
        return (json, "\"" + Convert.ToHexStringLower(hash.GetHashAndReset())[..32] + "\"");
    }

    /// <summary>
    /// Where a top-level property (name and value) lies in the JSON; an empty span at the end if it is not there.
    /// </summary>
    private static (int Start, int End) SpanOf(byte[] json, string property)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader is { CurrentDepth: 1, TokenType: JsonTokenType.PropertyName }
                && reader.ValueTextEquals(property))
            {
                var start = (int)reader.TokenStartIndex;
                reader.Read();
                reader.Skip();
                return (start, (int)reader.BytesConsumed);
            }

            if (reader is { CurrentDepth: 1, TokenType: JsonTokenType.StartObject or JsonTokenType.StartArray })
            {
                reader.Skip();
            }
        }

        return (json.Length, json.Length);
    }

    /// <summary>
    /// RFC 9110: If-None-Match is a list compared weakly (W/"7" matches "7"), and * matches any current version.
    /// </summary>
    public static bool NotModified(HttpRequest request, string etag)
    {
        var current = new EntityTagHeaderValue(etag);
        return request.GetTypedHeaders().IfNoneMatch
            .Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }
}
