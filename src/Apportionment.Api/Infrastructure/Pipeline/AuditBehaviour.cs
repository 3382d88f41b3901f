using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Apportionment.Api.Infrastructure.Pipeline;

/// <summary>
/// Records who changed what, in the same transaction as the change, so neither exists without the other.
/// </summary>
public sealed class AuditBehaviour<TMessage, TResponse>(
    PendingRows pending,
    IdempotencyClaims claims,
    Caller caller,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    TimeProvider clock)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IBaseCommand
{
    private static readonly string[] SecretWords = ["secret", "password", "apikey"];

    public async ValueTask<TResponse> Handle(
        TMessage message,
        MessageHandlerDelegate<TMessage, TResponse> next,
        CancellationToken cancellationToken)
    {
        var response = await next(message, cancellationToken);
        if (message is IAudited<TResponse> audited && response is not IRepeatAnswer { IsRepeat: true })
        {
            pending.Add(new AuditEvent
            {
                At = clock.GetUtcNow(),
                KeyId = caller.KeyId,
                KeyName = caller.KeyName,
                PersonName = caller.PersonName,
                Council = caller.Council,
                Operation = typeof(TMessage).Name,
                Entity = audited.AuditEntity,
                EntityId = audited.AuditEntityId(response),
                Body = Redacted(message is IAuditSummary summary
                    ? summary.AuditSummary()
                    : claims.SnapshotOf(message) ?? MessageSnapshot.ToJson(message, json.Value.SerializerOptions)),
            });
        }

        return response;
    }

    private static string Redacted(JsonObject body)
    {
        foreach (var name in body.Select(p => p.Key).ToList())
        {
            if (SecretWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase)))
            {
                body[name] = "[redacted]";
            }
        }

        return body.ToJsonString();
    }
}

/// <summary>
/// An answer that may repeat an earlier write without making one (e.g. a payment recorded again under its reference):
/// a repeat changes nothing, so it leaves nothing in the audit trail.
/// </summary>
public interface IRepeatAnswer
{
    bool IsRepeat { get; }
}
