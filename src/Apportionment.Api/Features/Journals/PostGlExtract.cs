using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Apportionment.Api.Features.Ledger;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Http;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Pipeline;
using Apportionment.Api.Infrastructure.Security;
using Apportionment.Api.Infrastructure.Validation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Apportionment.Api.Features.Journals;

public sealed record GlExtractServiceDto(string Service, int Lines, decimal Amount);

/// <summary>A line left out because its codes lead to no service (with unmapped=skip).</summary>
public sealed record SkippedLineDto(int Line, string CostCentre, string Account, string Month);

public sealed record GlExtractDto(
    Guid BatchId, string Council, int Lines, int Posted, decimal NetAmount, IReadOnlyList<GlExtractServiceDto> Services,
    int SkippedLines,
    IReadOnlyList<SkippedLineDto> Skipped, DateTimeOffset PostedAt);

/// <summary>
/// A council's general ledger extract, posted as its own costs: each line's cost centre and account lead, through the
/// council's ledger codes for the line's month, to a shared service and a category. All lines are posted or none (the
/// lines are written by binary COPY in the command's transaction; the ledger trigger refuses closed months).
/// </summary>
public sealed record PostGlExtract(string Council, GlExtractUpload Upload, bool SkipUnmapped, string? IdempotencyKey)
    : ICommand<GlExtractDto>, IAudited<GlExtractDto>, IIdempotent, IFingerprinted, IAuditSummary
{
    public const int MaxLines = 100_000;

    [JsonIgnore] public string AuditEntity => "gl-extract";
    public string AuditEntityId(GlExtractDto response) => response.BatchId.ToString();

    public string Fingerprint => $"{Council}:{(SkipUnmapped ? "skip" : "refuse")}:{Upload.Sha256}";

    public JsonObject AuditSummary()
    {
        var posted = Upload.Posted
            ?? throw new InvalidOperationException("An extract is audited only once it has been posted.");
        return new()
        {
            ["council"] = Council,
            ["lines"] = posted.Lines,
            ["posted"] = posted.Posted,
            ["skipped"] = posted.SkippedLines,
            ["netAmount"] = posted.NetAmount,
            ["services"] = new JsonArray(posted.Services.Select(s => (JsonNode?)s.Service).ToArray()),
            ["sha256"] = Upload.Sha256,
        };
    }
}

public sealed class PostGlExtractHandler(
    ApportionmentDb db,
    Caller caller,
    TimeProvider clock) : ICommandHandler<PostGlExtract, GlExtractDto>
{
    public async ValueTask<GlExtractDto> Handle(PostGlExtract command, CancellationToken cancellationToken)
    {
        caller.EnsureActsFor(command.Council, "post GL extracts");
        // Looked up before the COPY starts: while it lasts, the connection can run nothing else.
        var services = await db.SharedServices.AsNoTracking()
            .Where(s => s.Members.Any(m => m.Council == command.Council))
            .ToDictionaryAsync(s => s.Code, StringComparer.Ordinal, cancellationToken);
        if (services.Count == 0 && !await db.Councils.AnyAsync(c => c.Code == command.Council, cancellationToken))
        {
            throw new NotFoundException("Council", command.Council);
        }

        var versions = await db.LedgerCodes.AsNoTracking().Where(v => v.Council == command.Council)
            .ToListAsync(cancellationToken);
        var checks = new GlExtractChecks(
            command.Council,
            new CodesInForce(versions),
            services,
            clock,
            command.SkipUnmapped);
        var batchId = Guid.CreateVersion7();
        var postedAt = clock.GetUtcNow();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy cost_postings (id, service_code, month, amount, category, paid_by, reference, description, batch_id, "
                + "posted_at, posted_by_key) from stdin (format binary)",
            cancellationToken))
        {
            copy.Timeout = TimeSpan.FromSeconds(120);
            await foreach (var line in command.Upload.ReadLinesAsync(cancellationToken))
            {
                if (checks.Check(line) is { } postable)
                {
                    await WriteAsync(copy, postable, batchId, postedAt, cancellationToken);
                }
            }

            // Disposing an uncompleted COPY cancels it; completing it runs the ledger trigger (409 for a closed month).
            checks.ThrowIfRefused();
            await copy.CompleteAsync(cancellationToken);
        }

        var byService = checks.ByService;
        var extract = new GlExtractDto(
            batchId,
            command.Council,
            checks.Lines,
            byService.Sum(s => s.Lines),
            byService.Sum(s => s.Amount),
            byService,
            checks.SkippedCount,
            checks.Skipped,
            postedAt);
        command.Upload.Posted = extract;
        return extract;
    }

    private async Task WriteAsync(
        NpgsqlBinaryImporter copy,
        GlPostable p,
        Guid batchId,
        DateTimeOffset postedAt,
        CancellationToken ct)
    {
        await copy.StartRowAsync(ct);
        await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, ct);
        await copy.WriteAsync(p.Service, NpgsqlDbType.Varchar, ct);
        await copy.WriteAsync(p.Month, NpgsqlDbType.Date, ct);
        await copy.WriteAsync(p.Line.Amount!.Value, NpgsqlDbType.Numeric, ct);
        await copy.WriteAsync(p.Category, NpgsqlDbType.Varchar, ct);
        await copy.WriteAsync(p.PaidBy, NpgsqlDbType.Varchar, ct);
        await (p.Line.Reference is { } reference
            ? copy.WriteAsync(reference, NpgsqlDbType.Varchar, ct)
            : copy.WriteNullAsync(ct));
        await (p.Line.Description is { } description
            ? copy.WriteAsync(description, NpgsqlDbType.Varchar, ct)
            : copy.WriteNullAsync(ct));
        await copy.WriteAsync(batchId, NpgsqlDbType.Uuid, ct);
        await copy.WriteAsync(postedAt, NpgsqlDbType.TimestampTz, ct);
        await (caller.KeyId is { } key ? copy.WriteAsync(key, NpgsqlDbType.Uuid, ct) : copy.WriteNullAsync(ct));
    }
}

public static class PostGlExtractEndpoint
{
    public static void MapPostGlExtract(this RouteGroupBuilder council) =>
        council.MapPost("/gl-extracts", async (string code,
                [Description("refuse (default): a line whose codes lead to no service refuses the extract (422 naming "
                    + "it); skip: such lines are left out and listed.")]
                string? unmapped, HttpRequest request,
                [Microsoft.AspNetCore.Mvc.FromHeader(
                    Name = "Idempotency-Key")] string? idempotencyKey, IMediator mediator, CancellationToken ct) =>
            {
                if (unmapped is not null and not "skip" and not "refuse")
                {
                    throw RequestValidationException.For(
                        "unmapped",
                        "Must be skip (leave such lines out and list them) or refuse (the default).");
                }

                if (request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) != true)
                {
                    throw new ApiProblemException(
                        StatusCodes.Status415UnsupportedMediaType,
                        ProblemTypes.UnsupportedMediaType,
                        "Unsupported media type.",
                        "Send the extract as text/csv.");
                }

                var upload = await GlExtractUpload.ReceiveAsync(request, ct);
                return TypedResults.Created(
                    (string?)null,
                    await mediator.Send(new PostGlExtract(code, upload, unmapped == "skip", idempotencyKey), ct));
            })
            .Accepts<string>("text/csv")
            .WithName("PostGlExtract")
            .WithSummary("Post the council's general ledger extract (CSV: "
                + "costCentre,account,month,amount,description,reference), mapped through its ledger codes, all or "
                + "nothing.")
            .RequireAuthorization(Scopes.CostsWrite);
}
