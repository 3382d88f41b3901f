using System.Text.Json;
using Apportionment.Api.Features.Reports;
using Apportionment.Api.Features.Shared;

namespace Apportionment.Api.Features.Budgets;

/// <summary>The statements' conventions for a report: JSON or (Accept: text/csv) CSV, a strong ETag over the figures, 304 when unchanged.</summary>
public static class CsvOrJson
{
    public static IResult Respond<T>(HttpRequest request, HttpResponse response, JsonSerializerOptions options, T value) where T : ICsvExport
    {
        var csv = Csv.Wanted(request);
        var etag = ETags.Of(new { value, csv }, options);
        response.Headers.Vary = "Accept";
        if (ETags.NotModified(request, etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        response.Headers.ETag = etag;
        return csv ? value.ToCsv().ToResult() : TypedResults.Ok(value);
    }
}
