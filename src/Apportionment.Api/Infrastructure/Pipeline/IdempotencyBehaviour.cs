using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Apportionment.Api.Infrastructure.Pipeline;

/// <summary>
/// Exactly-once writes. The first request with a key inserts a row under a unique key inside the write's own
/// transaction; a racing duplicate blocks on that row and, once the first commits, replays its stored answer.
/// </summary>
public sealed class IdempotencyBehaviour<TMessage, TResponse>(ApportionmentDb db, Caller caller, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, TimeProvider clock)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IBaseCommand, IIdempotent
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(message.IdempotencyKey))
        {
            return await next(message, cancellationToken);
        }

        var options = json.Value.SerializerOptions;
        var operation = typeof(TMessage).Name;
        var hash = message is IFingerprinted fingerprinted
            ? fingerprinted.Fingerprint
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(MessageSnapshot.ToJson(message, options).ToJsonString())));
        var client = caller.ClientId;
        var key = message.IdempotencyKey;

        var inserted = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            insert into idempotency_records (client_id, key, operation, request_hash, created_at)
            values ({client}, {key}, {operation}, {hash}, {clock.GetUtcNow()})
            on conflict do nothing
            """, cancellationToken);

        if (inserted == 0)
        {
            var first = await db.IdempotencyRecords.AsNoTracking().SingleAsync(r => r.ClientId == client && r.Key == key, cancellationToken);
            if (first.Operation != operation || first.RequestHash != hash || first.Response is null)
            {
                throw new UnprocessableException(ProblemTypes.IdempotencyMismatch, "Idempotency-Key reused.",
                    $"The Idempotency-Key '{key}' was already used with a different request. Use a new key for a new request.");
            }

            return JsonSerializer.Deserialize<TResponse>(StoredText(first.Response), options)!;
        }

        var response = await next(message, cancellationToken);
        // Stored as a JSON string holding the exact text: jsonb reorders object keys (a dictionary's entries), so a
        // stored object would replay a body that differs from the first answer.
        var stored = JsonSerializer.Serialize(JsonSerializer.Serialize(response, options));
        // Tracked rather than updated at once, so the answer is saved in the same round trip as the write itself.
        var record = new IdempotencyRecord { ClientId = client, Key = key, Operation = operation, RequestHash = hash };
        db.IdempotencyRecords.Attach(record);
        record.Response = stored;
        return response;
    }

    /// <summary>The first answer's exact JSON text (older rows hold the answer as a jsonb object).</summary>
    private static string StoredText(string response) =>
        response.TrimStart().StartsWith('"') ? JsonSerializer.Deserialize<string>(response)! : response;
}
