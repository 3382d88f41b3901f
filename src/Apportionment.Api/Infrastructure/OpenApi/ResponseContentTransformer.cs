using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Apportionment.Api.Infrastructure.OpenApi;

/// <summary>
/// Endpoints that answer JSON or, when the Accept header asks for it, CSV declare both with Produces; the generator
/// keeps only the last declaration for a status, so both media types are put back here from the endpoint metadata.
/// </summary>
public sealed class ResponseContentTransformer : IOpenApiOperationTransformer
{
    private const string Csv = "text/csv";
    private const string Json = "application/json";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var produces = context.Description.ActionDescriptor.EndpointMetadata.OfType<IProducesResponseTypeMetadata>()
            .Where(p => p.StatusCode == StatusCodes.Status200OK).ToList();
        if (!produces.Any(p => p.ContentTypes.Contains(Csv)) || operation.Responses?.GetValueOrDefault("200") is not OpenApiResponse ok)
        {
            return;
        }

        ok.Content ??= new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal);
        ok.Content.Clear();
        if (produces.FirstOrDefault(p => p.Type is { } t && t != typeof(void) && p.ContentTypes.Contains(Json))?.Type is { } type)
        {
            var schema = await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
            context.Document!.AddComponent(SchemaName(type), schema);
            ok.Content[Json] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(SchemaName(type), context.Document) };
        }

        ok.Content[Csv] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "RFC 4180 CSV (UTF-8, CRLF): a header row, one row per line, then a TOTAL row where the report has totals; money with two decimal places.",
            },
        };
        ok.Description = "OK. JSON, or CSV for spreadsheets when the Accept header asks for text/csv.";
    }

    /// <summary>The generator's own names: Page&lt;CostPostingDto&gt; is PageOfCostPostingDto.</summary>
    private static string SchemaName(Type type) =>
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}Of{string.Concat(type.GetGenericArguments().Select(SchemaName))}" : type.Name;
}
