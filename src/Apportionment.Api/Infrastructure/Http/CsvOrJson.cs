using System.Text.Json;
using Apportionment.Api.Features.Reports;

namespace Apportionment.Api.Infrastructure.Http;

/// <summary>
/// The statements' conventions for a report: JSON or (Accept: text/csv) CSV, a strong ETag over the figures, 304 when
/// unchanged. The JSON is serialised once, for the tag and the body; perRequest names a top-level
/// property the tag leaves out (see <see cref="ETags.Serialise"/>).
/// </summary>
public static class CsvOrJson
{
    public static IResult Respond<T>(HttpRequest request, HttpResponse response, JsonSerializerOptions options, T value, string? perRequest = null)
        where T : ICsvExport
    {
        var csv = Csv.Wanted(request);
        var (json, etag) = ETags.Serialise(value, options, csv, perRequest);
        response.Headers.Vary = "Accept";
        if (ETags.NotModified(request, etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        response.Headers.ETag = etag;
        return csv ? value.ToCsv().ToResult() : TypedResults.Bytes(json, "application/json; charset=utf-8");
    }
}
