using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Apportionment.Api.Infrastructure.OpenApi;

/// <summary>
/// Endpoints that answer JSON or, when the Accept header asks for it, CSV, xlsx or PDF declare them with Produces; the
/// generator keeps only the last declaration for a status, so both media types are put back here from the endpoint
/// metadata.
/// </summary>
public sealed class ResponseContentTransformer : IOpenApiOperationTransformer
{
    private const string Csv = "text/csv";
    private const string Json = "application/json";
    private const string Pdf = "application/pdf";
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public async Task TransformAsync(
        OpenApiOperation operation,
        OpenApiOperationTransformerContext context,
        CancellationToken cancellationToken)
    {
        var produces = context.Description.ActionDescriptor.EndpointMetadata.OfType<IProducesResponseTypeMetadata>()
            .Where(p => p.StatusCode == StatusCodes.Status200OK).ToList();
        var csv = produces.Any(p => p.ContentTypes.Contains(Csv));
        var documents = produces.Any(p => p.ContentTypes.Contains(Pdf) || p.ContentTypes.Contains(Xlsx));
        if (!(csv || documents) || operation.Responses?.GetValueOrDefault("200") is not OpenApiResponse ok)
        {
            return;
        }

        ok.Content ??= new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal);
        ok.Content.Clear();
        if (produces.FirstOrDefault(p => p.Type is { } t && t != typeof(void) && p.ContentTypes.Contains(Json))?
            .Type is { } type)
        {
            var schema = await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
            context.Document!.AddComponent(SchemaName(type), schema);
            ok.Content[Json] = new OpenApiMediaType
            {
                Schema = new OpenApiSchemaReference(SchemaName(type), context.Document)
            };
        }

        if (csv)
        {
            ok.Content[Csv] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "RFC 4180 CSV (UTF-8, CRLF): a header row, one row per line, then a TOTAL row where "
                        + "the report has totals; money with two decimal places.",
                },
            };
        }

        if (produces.Any(p => p.ContentTypes.Contains(Pdf)))
        {
            ok.Content[Pdf] = Binary(
                "An A4 PDF: contents, the date, which months are closed or provisional, and Page x of y on every "
                    + "page.");
        }

        // Every CSV report also answers xlsx, through the one shared negotiation (CsvOrJson / Csv.OkOrCsv).
        ok.Content[
            Xlsx] = Binary("An xlsx workbook: a sheet per table with a frozen header row, money as numbers formatted "
                + "£#,##0.00, codes as text.");
        ok.Description = csv
            ? "OK. JSON, or CSV or an xlsx workbook for spreadsheets when the Accept header asks for text/csv or "
                + "spreadsheetml."
            : "OK. JSON, or a PDF or an xlsx workbook when the Accept header asks for application/pdf or "
                + "spreadsheetml.";
    }

    private static OpenApiMediaType Binary(string description) =>
        new()
        {
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = description }
        };

    /// <summary>The generator's own names: Page&lt;CostPostingDto&gt; is PageOfCostPostingDto.</summary>
    private static string SchemaName(Type type) =>
        type.IsGenericType
            ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] + "Of"
                + string.Concat(type.GetGenericArguments().Select(SchemaName))
            : type.Name;
}
