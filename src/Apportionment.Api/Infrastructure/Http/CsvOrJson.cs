using System.Text.Json;

namespace Apportionment.Api.Infrastructure.Http;

/// <summary>
/// The statements' conventions for a report: JSON, CSV (Accept: text/csv) or xlsx (Accept: …spreadsheetml.sheet), a
/// strong ETag over the figures, 304 when unchanged. The JSON is serialised once, for the tag and the body; perRequest
/// names a top-level property the tag leaves out (see <see cref="ETags.Serialise"/>).
/// </summary>
public static class CsvOrJson
{
    public static IResult Respond<T>(
        HttpRequest request,
        HttpResponse response,
        JsonSerializerOptions options,
        T value,
        string? perRequest = null)
        where T : ICsvExport
    {
        var format = Csv.Negotiate(request);
        var (json, etag) = ETags.Serialise(value, options, format, perRequest);
        response.Headers.Vary = "Accept";
        if (ETags.NotModified(request, etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        response.Headers.ETag = etag;
        return format == ReportFormat.Json
            ? TypedResults.Bytes(json, "application/json; charset=utf-8")
            : value.ToCsv().ToResult(format);
    }
}
