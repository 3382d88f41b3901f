using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Apportionment.Api.Infrastructure.Errors;

/// <summary>
/// Writes every problem as application/problem+json whatever the request's Accept header. ASP.NET's own writer
/// refuses when Accept names only text/csv or text/html (what a spreadsheet link or a browser sends), which left
/// 401s as 500s and other errors with empty bodies; an error is worth reading in any format the client asked for.
/// Problems without a type of ours (a route that does not exist, a method the route does not take) get the
/// documented type for their status.
/// </summary>
public sealed class ProblemJsonWriter(
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public const string MediaType = "application/problem+json";

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        if (problem.Type is null || !problem.Type.StartsWith(ProblemTypes.Prefix, StringComparison.Ordinal))
        {
            Describe(problem, http);
        }

        options.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(http.Response.WriteAsJsonAsync(
            problem,
            problem.GetType(),
            json.Value.SerializerOptions,
            MediaType,
            http.RequestAborted));
    }

    /// <summary>
    /// The documented type, a title and a useful detail for a status the framework answered on its own.
    /// </summary>
    private static void Describe(ProblemDetails problem, HttpContext http)
    {
        var status = problem.Status ?? 500;
        var method = http.Request.Method;
        (problem.Type, var detail) = status switch
        {
            400 => (ProblemTypes.BadRequest, "The HTTP request cannot be read."),
            401 => (ProblemTypes.Unauthenticated, "Send a valid API key in the X-Api-Key header."),
            403 => (ProblemTypes.Forbidden, "This key may not do that."),
            404 => (ProblemTypes.NotFound, "Nothing exists at this path."),
            405 => (ProblemTypes.MethodNotAllowed, $"{method} is not allowed on this path{AllowedList(http)}."),
            409 => (ProblemTypes.Conflict, null),
            412 => (ProblemTypes.PreconditionFailed, null),
            413 => (ProblemTypes.PayloadTooLarge, "The body exceeds the configured limit."),
            415 => (ProblemTypes
                .UnsupportedMediaType, "Send the body as application/json (or text/csv where the operation says so)."),
            429 => (ProblemTypes.TooManyRequests, null),
            503 => (ProblemTypes.Unavailable, null),
            >= 500 => (ProblemTypes.Unexpected, null),
            _ => (ProblemTypes.BadRequest, null),
        };
        problem.Title ??= ReasonPhrases.GetReasonPhrase(status) + ".";
        problem.Detail ??= detail;
    }

    private static string AllowedList(HttpContext http) =>
        http.Response.Headers.Allow is { Count: > 0 } allow ? $"; it allows {allow}" : "";
}
