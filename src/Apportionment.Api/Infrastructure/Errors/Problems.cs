namespace Apportionment.Api.Infrastructure.Errors;

/// <summary>Stable problem `type` URIs (RFC 9457). Clients switch on these; never rename one.</summary>
public static class ProblemTypes
{
    public const string Prefix = "https://apportionment.example/problems/";
    public const string Validation = Prefix + "validation";
    public const string NotFound = Prefix + "not-found";
    public const string Conflict = Prefix + "conflict";
    public const string ClosedPeriod = Prefix + "closed-period";
    public const string CannotApportion = Prefix + "cannot-apportion";
    public const string IdempotencyMismatch = Prefix + "idempotency-key-reused";
    public const string Unauthenticated = Prefix + "unauthenticated";
    public const string Forbidden = Prefix + "forbidden";
    public const string PreconditionFailed = Prefix + "precondition-failed";
    public const string TooManyRequests = Prefix + "too-many-requests";
    public const string PayloadTooLarge = Prefix + "payload-too-large";
    public const string MethodNotAllowed = Prefix + "method-not-allowed";
    public const string UnsupportedMediaType = Prefix + "unsupported-media-type";
    public const string BadRequest = Prefix + "bad-request";
    public const string Unavailable = Prefix + "service-unavailable";
    public const string Unexpected = Prefix + "unexpected";
}

/// <summary>A failure the client can act on; mapped to problem+json by <see cref="ProblemExceptionHandler"/>.</summary>
public class ApiProblemException(int status, string type, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string Type { get; } = type;
    public string Title { get; } = title;
    public IDictionary<string, object?> Extensions { get; } = new Dictionary<string, object?>();
}

public sealed class RequestValidationException(IReadOnlyDictionary<string, string[]> errors)
    : ApiProblemException(400, ProblemTypes.Validation, "The request is not valid.",
        "One or more fields are not valid: " + string.Join(", ", errors.Keys) + ".")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static RequestValidationException For(string field, string message)
        => new(new Dictionary<string, string[]> { [field] = [message] });
}

public sealed class NotFoundException(string what, string id)
    : ApiProblemException(404, ProblemTypes.NotFound, "Not found.", $"{what} '{id}' does not exist.");

public sealed class ConflictException(string detail, string type = ProblemTypes.Conflict)
    : ApiProblemException(409, type, "Conflict with the current state.", detail);

public sealed class ForbiddenException(string detail)
    : ApiProblemException(403, ProblemTypes.Forbidden, "Forbidden.", detail);

public sealed class UnprocessableException(string type, string title, string detail)
    : ApiProblemException(422, type, title, detail);

public sealed class PreconditionFailedException(string detail)
    : ApiProblemException(412, ProblemTypes.PreconditionFailed, "Precondition failed.", detail);

/// <summary>
/// The connection failed while committing: the write may or may not have been made. Never retried by the server;
/// mapped to 503 so the client retries with its Idempotency-Key.
/// </summary>
public sealed class CommitOutcomeUnknownException(Exception inner)
    : Exception("The database connection failed while committing; the outcome is unknown.", inner);
