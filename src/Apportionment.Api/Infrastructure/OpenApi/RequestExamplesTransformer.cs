using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;

namespace Apportionment.Api.Infrastructure.OpenApi;

/// <summary>Puts the example for the operation's request body type (see <see cref="RequestExamples"/>) on its JSON body.</summary>
public sealed class RequestExamplesTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(Microsoft.OpenApi.OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var body = context.Description.ParameterDescriptions.FirstOrDefault(p => p.Source == BindingSource.Body)?.Type;
        if (body is not null && RequestExamples.ByType.TryGetValue(body, out var example)
            && operation.RequestBody?.Content?.TryGetValue("application/json", out var json) == true)
        {
            json.Example = JsonNode.Parse(example);
        }

        return Task.CompletedTask;
    }
}
