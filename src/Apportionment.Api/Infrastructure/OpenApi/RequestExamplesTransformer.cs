using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Apportionment.Api.Infrastructure.OpenApi;

/// <summary>
/// Puts the example for the operation's request body type (see <see cref="RequestExampleCatalog"/>) on its JSON body. A
/// body also accepted as CSV (a ledger extract) is described as text there, not as the JSON array the generator
/// repeats for every media type, which validating proxies would hold a CSV body to.
/// </summary>
public sealed class RequestExamplesTransformer(RequestExampleCatalog examples) : IOpenApiOperationTransformer
{
    public Task TransformAsync(
        Microsoft.OpenApi.OpenApiOperation operation,
        OpenApiOperationTransformerContext context,
        CancellationToken cancellationToken)
    {
        var body = context.Description.ParameterDescriptions.FirstOrDefault(p => p.Source == BindingSource.Body)?.Type;
        if (body is not null && examples.ByType.TryGetValue(body, out var example)
            && operation.RequestBody?.Content?.TryGetValue("application/json", out var json) == true)
        {
            json.Example = JsonNode.Parse(example);
            if (examples.MoreByType.TryGetValue(body, out var more))
            {
                // OpenAPI allows example or examples, not both: with several, the default becomes the first named one.
                json.Example = null;
                json.Examples = new Dictionary<string, Microsoft.OpenApi.IOpenApiExample>(StringComparer.Ordinal)
                {
                    ["default"] = new Microsoft.OpenApi.OpenApiExample { Value = JsonNode.Parse(example) },
                };
                foreach (var (name, summary, value) in more)
                {
                    json.Examples[name] = new Microsoft.OpenApi.OpenApiExample
                    {
                        Summary = summary,
                        Value = JsonNode.Parse(value)
                    };
                }
            }
        }

        if (operation.RequestBody?.Content?.TryGetValue("text/csv", out var csv) == true
            && examples.CsvByOperation.TryGetValue(operation.OperationId ?? "", out var sample))
        {
            csv.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = sample.Description };
            csv.Example = JsonValue.Create(sample.Example);
        }

        return Task.CompletedTask;
    }
}
