using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Apportionment.Api.Infrastructure.OpenApi;

/// <summary>
/// Path and query parameters get the same patterns as body fields of the same name; the headers that make writes
/// safe to retry (Idempotency-Key) or safe to race (If-Match) are explained.
/// </summary>
public sealed class ParametersTransformer : IOpenApiOperationTransformer
{
    public const string IdempotencyKey = "Idempotency-Key";
    public const string IfMatch = "If-Match";

    /// <summary>Handlers that read If-Match from the request themselves, so the generator cannot see it.</summary>
    private static readonly HashSet<string> IfMatchOperations = new(StringComparer.Ordinal) {
        "ApproveAgreement",
        "WithdrawAgreement" };

    public Task TransformAsync(
        OpenApiOperation operation,
        OpenApiOperationTransformerContext context,
        CancellationToken cancellationToken)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            Describe(parameter);
        }

        if (operation.OperationId is { } id && IfMatchOperations.Contains(id))
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IfMatch,
                In = ParameterLocation.Header,
                Description = "Optional. The agreement's ETag (its version, e.g. \"3\") as last read: the change is "
                    + "refused with 412 if "
                    + "someone changed the agreement since.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        return Task.CompletedTask;
    }

    private static void Describe(OpenApiParameter parameter)
    {
        if (parameter.Schema is not OpenApiSchema schema || parameter.Name is not { } name)
        {
            return;
        }

        if (parameter.In == ParameterLocation.Header && name == IdempotencyKey)
        {
            schema.MaxLength = 200;
            parameter.Description
                = "Optional. A unique key per intended write (e.g. a UUID). A retry with the same key and body "
                + "returns the first answer instead of writing twice; the same key with a different body is refused "
                + "with 422.";
            return;
        }

        if (FieldRules.PatternFor(name) is { } pattern)
        {
            schema.Pattern = pattern;
            parameter.Description ??= FieldRules.DescriptionFor(name);
        }
        else if (name == "offset")
        {
            schema.Minimum = "0";
            parameter.Description ??= "Items to skip; default 0.";
        }
        else if (name == "limit")
        {
            schema.Minimum = "1";
            schema.Maximum = "500";
            parameter.Description ??= "Items per page, 1–500; default 50.";
        }
    }
}
