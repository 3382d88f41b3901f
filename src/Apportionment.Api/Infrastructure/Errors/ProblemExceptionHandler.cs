using System.Text.Json;
using Apportionment.Api.Infrastructure.Input;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Apportionment.Api.Infrastructure.Errors;

/// <summary>
/// Turns every failure into RFC 9457 problem+json. Database outages become 503 with Retry-After,
/// so a client retries rather than seeing a 500.
/// </summary>
public sealed partial class ProblemExceptionHandler(
    IProblemDetailsService problems,
    ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(
        HttpContext http,
        Exception exception,
        CancellationToken cancellationToken)
    {
        var problem = ToProblem(http, exception);
        if (problem.Status >= 500)
        {
            logger.LogError(exception, "Request failed with {Status}", problem.Status);
        }

        http.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(
            new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails ToProblem(HttpContext http, Exception exception)
    {
        switch (exception)
        {
            case RequestValidationException v:
                return new HttpValidationProblemDetails(v.Errors.ToDictionary(e => e.Key, e => e.Value))
                {
                    Status = v.Status,
                    Type = v.Type,
                    Title = v.Title,
                    Detail = v.Message,
                };
            case ApiProblemException p:
                var pd = new ProblemDetails { Status = p.Status, Type = p.Type, Title = p.Title, Detail = p.Message };
                foreach (var (k, val) in p.Extensions)
                {
                    pd.Extensions[k] = val;
                }

                return pd;
            case Exception e when FindPostgres(e) is { SqlState: ClosedMonthState } closed:
                // The database's closed-month rule (ensure_month_open) names the month and the service in its message.
                return new ProblemDetails
                {
                    Status = 409,
                    Type = ProblemTypes.ClosedPeriod,
                    Title = "Conflict with the current state.",
                    Detail = closed.MessageText
                };
            case Exception e when FindPostgres(e) is { SqlState: PostgresErrorCodes.UniqueViolation }:
                // A race lost to a unique constraint (a second reversal, a duplicate code): the first write stands.
                return new ProblemDetails
                {
                    Status = 409,
                    Type = ProblemTypes.Conflict,
                    Title = "Conflict with the current state.",
                    Detail = "Another request changed the same record first; nothing was written. Fetch the current "
                        + "state and retry if still needed.",
                };
            case BadHttpRequestException bad:
                return FromBadRequest(bad);
            case CommitOutcomeUnknownException:
                http.Response.Headers.RetryAfter = RetryAfterSeconds;
                return new ProblemDetails
                {
                    Status = 503,
                    Type = ProblemTypes.Unavailable,
                    Title = "Service temporarily unavailable.",
                    Detail = "The ledger database connection failed while saving; the change may or may not have been "
                        + "made. Retry with the same Idempotency-Key after the interval in Retry-After: a change that "
                        + "was made is answered again, not repeated.",
                };
            case OperationCanceledException when http.RequestAborted.IsCancellationRequested:
                // The client has gone; nobody reads this answer.
                return new ProblemDetails
                {
                    Status = StatusCodes.Status499ClientClosedRequest,
                    Type = ProblemTypes.Unexpected,
                    Title = "Client closed the request."
                };
            case Exception e when IsDatabaseUnavailable(e):
                http.Response.Headers.RetryAfter = RetryAfterSeconds;
                return new ProblemDetails
                {
                    Status = 503,
                    Type = ProblemTypes.Unavailable,
                    Title = "Service temporarily unavailable.",
                    Detail = "The ledger database cannot be reached just now. Nothing was written; retry after the "
                        + "interval in Retry-After.",
                };
            default:
                return new ProblemDetails { Status = 500, Type = ProblemTypes.Unexpected, Title = "Unexpected error." };
        }
    }

    private static ProblemDetails FromBadRequest(BadHttpRequestException bad)
    {
        switch (bad.StatusCode)
        {
            case StatusCodes.Status413PayloadTooLarge:
                return new ProblemDetails
                {
                    Status = 413,
                    Type = ProblemTypes.PayloadTooLarge,
                    Title = "Request body too large.",
                    Detail = bad.Message
                };
            case StatusCodes.Status415UnsupportedMediaType:
                return new ProblemDetails
                {
                    Status = 415, Type = ProblemTypes.UnsupportedMediaType, Title = "Unsupported media type.",
                    Detail = "Send the body as application/json (or text/csv where the operation says so).",
                };
        }

        var (field, message) = bad.InnerException switch
        {
            // JSON that cannot be read names the field through the serializer's path ($.amount); our own input
            // checks (InputText, exact numbers) say what is wrong, the serializer's messages are internal.
            InvalidInputException input => (input.FieldUnder(FieldOf(input.Path, "")) is { Length: > 0 } f
                ? f
                : "body", input.Message),
            JsonException json => (FieldOf(json.Path), "The value could not be read as JSON of the expected type."),
            _ => BindingFailure(bad.Message),
        };
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = 400,
            Type = ProblemTypes.Validation,
            Title = "The request is not valid.",
            Detail = field == "body" ? message : $"The request could not be read at '{field}'.",
        };
    }

    private static string FieldOf(string? path, string root = "body")
    {
        var field = path?.TrimStart('$', '.') ?? "";
        // A bad property name ({"MDDC\u0000":1}) is part of the path: name its parent instead of echoing it.
        if (field.AsSpan().IndexOfAnyInRange('\0', '\u001F') is >= 0 and var bad)
        {
            field = field[..Math.Max(0, field.LastIndexOfAny(['.', '['], bad))];
        }

        return field.Length > 0 ? field : root;
    }

    /// <summary>
    /// Minimal APIs report a parameter they cannot bind as "Failed to bind parameter "int? offset" from "x"." or
    /// "Required parameter "PostCost command" was not provided from body.": the error names the parameter the client
    /// sent (offset, from), and a missing body says so plainly.
    /// </summary>
    private static (string Field, string Message) BindingFailure(string message)
    {
        var match = ParameterName().Match(message);
        if (message.StartsWith("Failed to bind", StringComparison.Ordinal) && match.Success)
        {
            return (match.Groups["name"].Value, "Is not a valid value for this parameter.");
        }

        if (message.Contains("from body", StringComparison.Ordinal)
            || message.Contains("no body was provided", StringComparison.Ordinal))
        {
            return ("body", "A JSON body is required.");
        }

        return match.Success ? (match.Groups["name"].Value, "Is required.") : ("body", message);
    }

    [System.Text.RegularExpressions.GeneratedRegex("""parameter "[^"]*?(?<name>\w+)"(?: from| was)""")]
    private static partial System.Text.RegularExpressions.Regex ParameterName();

    /// <summary>
    /// SQLSTATE raised by the ledger's closed-month trigger and function (migration ClosedMonthGuard).
    /// </summary>
    public const string ClosedMonthState = "AP409";

    /// <summary>The server's refusal behind an EF Core or Npgsql exception, if any.</summary>
    private static PostgresException? FindPostgres(Exception e) => e switch
    {
        PostgresException p => p,
        { InnerException: { } inner } => FindPostgres(inner),
        _ => null,
    };

    private const string RetryAfterSeconds = "5";

    /// <summary>
    /// A write reached a standby (a connection string naming a primary that was since demoted): no primary now.
    /// </summary>
    private const string ReadOnlyState = PostgresErrorCodes.ReadOnlySqlTransaction;

    /// <summary>
    /// PostgreSQL cannot be reached or did not answer in time: a client-side Npgsql failure (never a PostgresException,
    /// which is the server refusing the statement, except the states that mean it is shutting down or full), a socket
    /// or I/O error, a timeout, or the retry budget running out on one of those.
    /// </summary>
    internal static bool IsDatabaseUnavailable(Exception e) => e switch
    {
        PostgresException p => p.IsTransient || p.SqlState is "57P01" or "57P02" or "57P03" or "53300" or ReadOnlyState
            || p.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException => true,
        System.Net.Sockets.SocketException or TimeoutException or IOException => true,
        // A command timeout or a cancelled connect surfaces as a cancellation the client did not ask for.
        OperationCanceledException => true,
        Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException { InnerException: { } inner } =>
        IsDatabaseUnavailable(inner),
        InvalidOperationException { InnerException: { } inner } => IsDatabaseUnavailable(inner),
        Microsoft.EntityFrameworkCore.DbUpdateException { InnerException: { } inner } => IsDatabaseUnavailable(inner),
        _ => false,
    };
}
