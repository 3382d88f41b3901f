using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Apportionment.Api.Infrastructure.Webhooks;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Apportionment.Api.Features.Costs;

public sealed record BatchServiceTotalDto(string Service, int Lines, decimal Amount);

public sealed record CostBatchDto(
    Guid BatchId,
    int Lines,
    decimal NetAmount,
    IReadOnlyList<BatchServiceTotalDto> Services,
    DateTimeOffset PostedAt);

/// <summary>
/// A month-end ledger extract as received: the body, kept in a file past a small threshold so that it can be read
/// again if the transaction is retried, and the SHA-256 of its bytes (the Idempotency-Key's fingerprint), taken as
/// the bytes arrive. The lines themselves are read only by the handler, one at a time.
/// </summary>
public sealed class CostBatchUpload(Stream body, bool isCsv, string sha256)
{
    public string Sha256 { get; } = sha256;

    /// <summary>
    /// What was posted, for the audit summary: the lines are known only once the handler has read them.
    /// </summary>
    public CostBatchDto? Posted { get; set; }

    public static async Task<CostBatchUpload> ReceiveAsync(HttpRequest request, CancellationToken ct)
    {
        var (body, sha256) = await HashedBody.ReceiveAsync(request, ct);
        var isCsv = request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true;
        return new CostBatchUpload(body, isCsv, sha256);
    }

    /// <summary>The lines from the start of the body (null where a JSON line is null).</summary>
    public IAsyncEnumerable<CostBatchLine?> ReadLinesAsync(JsonSerializerOptions json, CancellationToken ct)
    {
        body.Position = 0;
        return isCsv ? CostBatchCsv.ReadAsync(body, ct) : CostBatchJson.ReadAsync(body, json, ct);
    }
}

/// <summary>
/// A whole month-end ledger extract in one request: all lines are posted, or none. Each line is checked as it is read
/// and written with PostgreSQL binary COPY in the command's transaction; the ledger trigger moves the monthly totals in
/// the same statement. A refused line cancels the COPY, so nothing of the batch is written.
/// </summary>
public sealed record PostCostBatch(CostBatchUpload Upload, string? IdempotencyKey)
    : ICommand<CostBatchDto>, IAudited<CostBatchDto>, IIdempotent, IFingerprinted, IAuditSummary
{
    public const int MaxLines = 100_000;

    [JsonIgnore] public string AuditEntity => "cost-batch";
    public string AuditEntityId(CostBatchDto response) => response.BatchId.ToString();

    public string Fingerprint => Upload.Sha256;

    public JsonObject AuditSummary()
    {
        var posted = Upload.Posted
            ?? throw new InvalidOperationException("A batch is audited only once it has been posted.");
        return new()
        {
            ["lines"] = posted.Lines,
            ["netAmount"] = posted.NetAmount,
            ["services"] = new JsonArray(posted.Services.Select(s => (JsonNode?)s.Service).ToArray()),
            ["sha256"] = Fingerprint,
        };
    }
}

public sealed class PostCostBatchHandler(
    ApportionmentDb db,
    Caller caller,
    WebhookOutbox outbox,
    TimeProvider clock,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    : ICommandHandler<PostCostBatch, CostBatchDto>
{
    public async ValueTask<CostBatchDto> Handle(PostCostBatch command, CancellationToken cancellationToken)
    {
        // Looked up before the COPY starts: while it lasts, the connection can run nothing else.
        var services = await ServicesTheCallerSeesAsync(cancellationToken);
        var checks = new CostBatchChecks(caller, clock, services);
        var batchId = Guid.CreateVersion7();
        var postedAt = clock.GetUtcNow();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy cost_postings (id, service_code, month, amount, category, paid_by, reference, description, batch_id, "
                + "posted_at, posted_by_key) from stdin (format binary)",
            cancellationToken))
        {
            // A 100,000-line extract takes seconds, not the short command timeout that keeps outages answering fast.
            copy.Timeout = TimeSpan.FromSeconds(120);
            // Every line is read even after one is refused: an unreadable line later on is still the answer, as it
            // would be if the whole body were parsed first.
            await foreach (var line in command.Upload.ReadLinesAsync(json.Value.SerializerOptions, cancellationToken))
            {
                if (checks.Check(line) is { } postable)
                {
                    await WriteAsync(copy, postable, batchId, postedAt, cancellationToken);
                }
            }

            // Disposing a COPY that was not completed cancels it: the server keeps none of its rows. Completing it runs
            // the ledger's triggers, which refuse a line in a closed month (409 closed-period) and roll the whole batch
            // back.
            checks.ThrowIfRefused();
            await copy.CompleteAsync(cancellationToken);
        }

        var byService = checks.ByService;
        foreach (var s in byService)
        {
            // One event per service, so each council hears only about the services it belongs to.
            await outbox.CostBatchAcceptedAsync(batchId, s.Service, s.Lines, s.Amount, postedAt, cancellationToken);
        }

        var batch = new CostBatchDto(batchId, checks.Lines, byService.Sum(s => s.Amount), byService, postedAt);
        command.Upload.Posted = batch;
        return batch;
    }

    /// <summary>
    /// Every service the key may post to (all of them for an admin): a batch names its services only as it is read.
    /// </summary>
    private Task<Dictionary<string, SharedService>> ServicesTheCallerSeesAsync(CancellationToken ct)
    {
        var services = db.SharedServices.AsNoTracking().Include(s => s.Members);
        var council = caller.Council;
        return (caller.IsAdmin ? services : services.Where(s => s.Members.Any(m => m.Council == council)))
            .ToDictionaryAsync(s => s.Code, StringComparer.Ordinal, ct);
    }

    private async Task WriteAsync(
        NpgsqlBinaryImporter copy,
        PostableLine postable,
        Guid batchId,
        DateTimeOffset postedAt,
        CancellationToken ct)
    {
        var line = postable.Line;
        await copy.StartRowAsync(ct);
        await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, ct);
        await copy.WriteAsync(line.Service!, NpgsqlDbType.Varchar, ct);
        await copy.WriteAsync(postable.Month, NpgsqlDbType.Date, ct);
        await copy.WriteAsync(line.Amount!.Value, NpgsqlDbType.Numeric, ct);
        await copy.WriteAsync(line.Category!.Trim(), NpgsqlDbType.Varchar, ct);
        await copy.WriteAsync(postable.PaidBy, NpgsqlDbType.Varchar, ct);
        await WriteNullableAsync(copy, line.Reference, ct);
        await WriteNullableAsync(copy, line.Description, ct);
        await copy.WriteAsync(batchId, NpgsqlDbType.Uuid, ct);
        await copy.WriteAsync(postedAt, NpgsqlDbType.TimestampTz, ct);
        await (caller.KeyId is { } key ? copy.WriteAsync(key, NpgsqlDbType.Uuid, ct) : copy.WriteNullAsync(ct));
    }

    private static ValueTask WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken ct) =>
        value is null
            ? new ValueTask(copy.WriteNullAsync(ct))
            : new ValueTask(copy.WriteAsync(value, NpgsqlDbType.Varchar, ct));
}

public static class PostCostBatchEndpoint
{
    public static void MapPostCostBatch(this RouteGroupBuilder costs) =>
        costs.MapPost("/cost-batches", async (HttpRequest request, [Microsoft.AspNetCore.Mvc.FromHeader(
            Name = "Idempotency-Key")] string? idempotencyKey,
                IMediator mediator, CancellationToken ct) =>
            {
                var upload = await CostBatchUpload.ReceiveAsync(request, ct);
                var batch = await mediator.Send(new PostCostBatch(upload, idempotencyKey), ct);
                return TypedResults.Created($"/api/v1/cost-batches/{batch.BatchId}", batch);
            })
            .Accepts<IReadOnlyList<CostBatchLine>>("application/json", "text/csv")
            .WithName("PostCostBatch").WithSummary(
                "Post a ledger extract (JSON array or CSV, up to 100,000 lines), all or nothing.")
            .RequireAuthorization(Scopes.CostsWrite);
}
