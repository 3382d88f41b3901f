using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Apportionment.Api.Infrastructure.OpenApi;

/// <summary>
/// The problem+json responses each operation can give, by rule: 400/401/403/429/503 everywhere; 404 where the route
/// names something; 409 on writes and on a proposal's impact (asked of an agreement no longer proposed); 412 where
/// If-Match is honoured; 422 on writes that take an Idempotency-Key and on reads that apportion costs (a GET of a
/// {period}, or budget monitoring).
/// </summary>
public sealed class ErrorResponsesTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(
        OpenApiOperation operation,
        OpenApiOperationTransformerContext context,
        CancellationToken cancellationToken)
    {
        if (operation.Security is not { Count: > 0 })
        {
            return Task.CompletedTask;
        }

        var route = context.Description.RelativePath ?? "";
        var isWrite = !string.Equals(context.Description.HttpMethod, "GET", StringComparison.OrdinalIgnoreCase);
        var headers = operation.Parameters?.Where(p => p.In == ParameterLocation.Header).Select(p => p.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];

        var statuses = new List<int> { 400, 401, 403, 429, 503 };
        if (route.Contains('{', StringComparison.Ordinal))
        {
            statuses.Add(404);
        }

        if (isWrite || route.EndsWith("/impact/{period}", StringComparison.Ordinal))
        {
            statuses.Add(409);
        }

        if (headers.Contains(ParametersTransformer.IfMatch))
        {
            statuses.Add(412);
        }

        if ((isWrite && headers.Contains(ParametersTransformer.IdempotencyKey)) || (!isWrite && (route.Contains(
            "{period}",
            StringComparison.Ordinal) || route.Contains("budget-monitoring", StringComparison.Ordinal))))
        {
            statuses.Add(422);
        }

        operation.Responses ??= [];
        foreach (var status in statuses)
        {
            operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] =
                new OpenApiResponseReference(ProblemComponents.Responses[status].Name, context.Document);
        }

        var ordered = operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        operation.Responses.Clear();
        foreach (var (status, response) in ordered)
        {
            operation.Responses[status] = response;
        }

        return Task.CompletedTask;
    }
}
