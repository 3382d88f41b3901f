using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Apportionment.Api.Infrastructure.Pipeline;

/// <summary>
/// Exactly-once writes, at no extra round trip for the first request. The answer is saved with the write itself
/// (<see cref="IdempotentAnswerBehaviour{TMessage,TResponse}"/>) under a unique (client, key). A retry, or a duplicate
/// racing the first, fails somewhere in its own attempt: at the latest on that unique key, which waits for the first
/// to commit. Only then is the stored answer looked up, and replayed if the request is the same.
/// </summary>
public sealed class IdempotencyBehaviour<TMessage, TResponse>(
    ApportionmentDb db,
    IdempotencyClaims claims,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IBaseCommand, IIdempotent
{
    public async ValueTask<TResponse> Handle(
        TMessage message,
        MessageHandlerDelegate<TMessage, TResponse> next,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(message.IdempotencyKey))
        {
            return await next(message, cancellationToken);
        }

        var claim = claims.Claim(message);
        try
        {
            return await next(message, cancellationToken);
        }
        catch (Exception failure) when (failure is not CommitOutcomeUnknownException and not OperationCanceledException)
        {
            var first = await FirstAnswerAsync(claim, cancellationToken);
            if (first is null)
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            if (first.Operation != claim.Operation || first.RequestHash != claim.RequestHash || first.Response is null)
            {
                throw new UnprocessableException(ProblemTypes.IdempotencyMismatch, "Idempotency-Key reused.",
                    $"The Idempotency-Key '{claim.Key}' was already used with a different request. Use a new key for a "
                        + "new request.");
            }

            return JsonSerializer.Deserialize<TResponse>(StoredText(first.Response), json.Value.SerializerOptions)!;
        }
    }

    /// <summary>The committed answer under the key, or null if there is none or the database cannot say.</summary>
    private async Task<IdempotencyRecord?> FirstAnswerAsync(IdempotencyRecord claim, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        try
        {
            return await db.IdempotencyRecords.AsNoTracking()
                .SingleOrDefaultAsync(r => r.ClientId == claim.ClientId && r.Key == claim.Key, ct);
        }
        catch (Exception e) when (ProblemExceptionHandler.IsDatabaseUnavailable(e))
        {
            return null;
        }
    }

    /// <summary>The first answer's exact JSON text (older rows hold the answer as a jsonb object).</summary>
    private static string StoredText(string response) =>
        response.TrimStart().StartsWith('"') ? JsonSerializer.Deserialize<string>(response)! : response;
}

/// <summary>
/// Saves the answer of a write that carries an Idempotency-Key with the write, in the same transaction or batch.
/// </summary>
public sealed class IdempotentAnswerBehaviour<TMessage, TResponse>(
    PendingRows pending,
    IdempotencyClaims claims,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IBaseCommand, IIdempotent
{
    public async ValueTask<TResponse> Handle(
        TMessage message,
        MessageHandlerDelegate<TMessage, TResponse> next,
        CancellationToken cancellationToken)
    {
        var response = await next(message, cancellationToken);
        if (claims.For(message) is { } claim)
        {
            // Stored as a JSON string holding the exact text: jsonb reorders object keys (a dictionary's entries), so a
            // stored object would replay a body that differs from the first answer.
            claim.Response = JsonSerializer.Serialize(JsonSerializer.Serialize(response, json.Value.SerializerOptions));
            pending.Add(claim);
        }

        return response;
    }
}

/// <summary>
/// The idempotency claim of the request in hand: who, which key, which operation, and a fingerprint of the body.
/// </summary>
public sealed class IdempotencyClaims(
    Caller caller,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    TimeProvider clock)
{
    private object? _message;
    private IdempotencyRecord? _claim;
    private JsonObject? _snapshot;

    /// <summary>The claim made for this very message (not for another command sent in the same scope).</summary>
    public IdempotencyRecord? For(object message) => ReferenceEquals(message, _message) ? _claim : null;

    /// <summary>
    /// The snapshot the claim's fingerprint was taken from, for the audit event to record rather than build again (it
    /// may redact it: the fingerprint is already taken).
    /// </summary>
    public JsonObject? SnapshotOf(object message) => ReferenceEquals(message, _message) ? _snapshot : null;

    public IdempotencyRecord Claim<TMessage>(TMessage message)
        where TMessage : IIdempotent
    {
        string hash;
        if (message is IFingerprinted fingerprinted)
        {
            _snapshot = null;
            hash = fingerprinted.Fingerprint;
        }
        else
        {
            _snapshot = MessageSnapshot.ToJson(message, json.Value.SerializerOptions);
            hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_snapshot.ToJsonString())));
        }

        _message = message;
        return _claim = new IdempotencyRecord
        {
            ClientId = caller.ClientId,
            Key = message.IdempotencyKey!,
            Operation = typeof(TMessage).Name,
            RequestHash = hash,
            CreatedAt = clock.GetUtcNow(),
        };
    }
}
