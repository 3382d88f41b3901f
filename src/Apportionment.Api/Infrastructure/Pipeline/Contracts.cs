namespace Apportionment.Api.Infrastructure.Pipeline;

/// <summary>
/// Checks a request before its handler runs; each feature file keeps its validator beside its request.
/// </summary>
public interface IValidator<in TRequest>
{
    void Validate(TRequest request, ValidationErrors errors);
}

/// <summary>A write that is recorded in the audit trail, naming the entity it changed.</summary>
public interface IAudited<in TResponse>
{
    string AuditEntity { get; }
    string AuditEntityId(TResponse response);
}

/// <summary>A write too large to record whole in the audit trail: it records this summary instead.</summary>
public interface IAuditSummary
{
    System.Text.Json.Nodes.JsonObject AuditSummary();
}

/// <summary>
/// A write that may carry an Idempotency-Key: a retry with the same key and body replays the first answer.
/// </summary>
public interface IIdempotent
{
    string? IdempotencyKey { get; }
}

/// <summary>
/// A hot-path write saved without an explicit transaction: its handler only reads, and everything it adds (the rows,
/// the audit event, the idempotency answer) goes to PostgreSQL as one batch, which PostgreSQL runs as one implicit
/// transaction (all or nothing). The rules it depends on at write time are the database's own (triggers), so nothing
/// read before the batch needs a lock. Two round trips: the reads, then the batch.
/// </summary>
public interface ISavedInOneBatch;

/// <summary>
/// A large write that fingerprints its own request (e.g. a hash of the raw body) for idempotency checks.
/// </summary>
public interface IFingerprinted
{
    string Fingerprint { get; }
}
