using Microsoft.OpenApi;

namespace Apportionment.Api.Infrastructure.OpenApi;

/// <summary>
/// RFC 9457 problem+json as the API writes it (Infrastructure/Errors): the problem schemas and one shared response
/// per status, referenced from every operation that can answer with it.
/// </summary>
public static class ProblemComponents
{
    public const string ProblemSchema = "ProblemDetails";
    public const string ValidationProblemSchema = "HttpValidationProblemDetails";
    public const string MediaType = "application/problem+json";

    /// <summary>Status → (component name, description, schema).</summary>
    public static readonly IReadOnlyDictionary<int, (string Name, string Description, string Schema)> Responses =
        new Dictionary<int, (string, string, string)>
        {
            [
                400] = ("BadRequest", "The request is not valid: `errors` maps each field (JSON path) to what is wrong "
                    + "with it.", ValidationProblemSchema),
            [
                401] = ("Unauthorized", "No valid credential: send an unrevoked, unexpired key in the X-Api-Key "
                    + "header, or a valid bearer token of a trusted issuer.", ProblemSchema),
            [
                403] = ("Forbidden", "The key or token lacks the scope (`missingScope` names it), it belongs to a "
                    + "council that cannot act here, or a token names another council than its "
                    + "issuer's.", ProblemSchema),
            [
                404] = ("NotFound", "The council, shared service, agreement, posting, budget or key does not "
                    + "exist.", ProblemSchema),
            [
                409] = ("Conflict", "Conflicts with the current state, e.g. a closed month or a budget for a year "
                    + "whose months are all closed (type closed-period), a duplicate code, an agreement no longer "
                    + "proposed.", ProblemSchema),
            [
                412] = ("PreconditionFailed", "If-Match names a version of the agreement that is no longer current: "
                    + "fetch it again.", ProblemSchema),
            [
                422] = ("Unprocessable", "Understood but cannot be done: costs that cannot be apportioned (type "
                    + "cannot-apportion, naming the month and councils without figures) or an Idempotency-Key reused "
                    + "with a different request.", ProblemSchema),
            [
                429] = ("TooManyRequests", "This key has exceeded its request rate; retry after the interval in "
                    + "Retry-After.", ProblemSchema),
            [
                503] = ("ServiceUnavailable", "The ledger database cannot be reached just now; nothing was written. "
                    + "Retry after the interval in Retry-After.", ProblemSchema),
        };

    public static void AddTo(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        document.Components.Schemas[ProblemSchema] = Problem();
        document.Components.Schemas[ValidationProblemSchema] = ValidationProblem(document);
        document.Components.Responses ??= new Dictionary<string, IOpenApiResponse>(StringComparer.Ordinal);
        foreach (var (status, (name, description, schema)) in Responses)
        {
            document.Components.Responses[name] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [MediaType] = new() { Schema = new OpenApiSchemaReference(schema, document) },
                },
            };
        }
    }

    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An RFC 9457 problem. Switch on `type`, a stable URI; other members may appear (traceId, "
            + "missingScope, service, month, councilsWithoutFigures, recipientsWithoutFigures).",
        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
        {
            [
                "type"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String, Format = "uri-reference",
                    Description = "Stable URI of the problem type, e.g. https://apportionment.example/problems/"
                    + "closed-period."
                },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["detail"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "What went wrong, in words a finance officer can act on."
            },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request path." },
            ["traceId"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "Quote this when reporting a problem."
            },
        },
    };

    private static OpenApiSchema ValidationProblem(OpenApiDocument document) => new()
    {
        Description = "A problem with the fields that failed validation.",
        AllOf =
        [
            new OpenApiSchemaReference(ProblemSchema, document),
            new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
                {
                    ["errors"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Description
                            = "Messages per field, keyed by the field's JSON path (e.g. amount, shares[1].percent).",
                        AdditionalProperties = new OpenApiSchema {
                            Type = JsonSchemaType.Array,
                            Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                    },
                },
            },
        ],
    };
}
