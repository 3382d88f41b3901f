using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Apportionment.Api.Infrastructure.OpenApi;

/// <summary>
/// Read-your-write when reads go to a standby (see ReadAfterWriteMiddleware): every successful write answers with
/// Read-After-Lsn, and every read accepts it back. Described once under components and referenced by the service's
/// own operations (those needing a key or token).
/// </summary>
public sealed class ReadAfterLsnTransformer : IOpenApiOperationTransformer, IOpenApiDocumentTransformer
{
    private const string Component = "ReadAfterLsn";
    private const string Example = "0/16B3748";
    private const string Pattern = "^[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}$";

    public Task TransformAsync(
        OpenApiOperation operation,
        OpenApiOperationTransformerContext context,
        CancellationToken cancellationToken)
    {
        if (operation.Security is not { Count: > 0 })
        {
            return Task.CompletedTask;
        }

        if (HttpMethods.IsGet(context.Description.HttpMethod ?? ""))
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameterReference(Component, context.Document));
            return Task.CompletedTask;
        }

        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (status.StartsWith('2') && response is OpenApiResponse written)
            {
                written.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
                written.Headers[ReadAfterWriteMiddleware.Header] =
                    new OpenApiHeaderReference(Component, context.Document);
            }
        }

        return Task.CompletedTask;
    }

    public Task TransformAsync(
        OpenApiDocument document,
        OpenApiDocumentTransformerContext context,
        CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Parameters ??= new Dictionary<string, IOpenApiParameter>(StringComparer.Ordinal);
        document.Components.Parameters[Component] = new OpenApiParameter
        {
            Name = ReadAfterWriteMiddleware.Header,
            In = ParameterLocation.Header,
            Description = "Optional. The Read-After-Lsn a write answered with: the read then sees that write. With "
                + "reads on a standby, it is served by the standby once the standby has replayed that far (after a "
                + "short wait), else by the primary. Ignored with one database. Anything but a log sequence number "
                + "is refused with 400.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = Pattern },
            Example = JsonValue.Create(Example),
        };
        document.Components.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
        document.Components.Headers[Component] = new OpenApiHeader
        {
            Description = "Only when reads go to a standby: the primary's WAL position once the write committed. Send "
                + "it back as Read-After-Lsn on a read that must see this write.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            Example = JsonValue.Create(Example),
        };
        return Task.CompletedTask;
    }
}
