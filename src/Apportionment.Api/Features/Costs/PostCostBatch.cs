using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Apportionment.Api.Features.Shared;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Input;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Pipeline;
using Apportionment.Api.Infrastructure.Security;
using Apportionment.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Apportionment.Api.Features.Costs;

public sealed record BatchServiceTotalDto(string Service, int Lines, decimal Amount);

public sealed record CostBatchDto(Guid BatchId, int Lines, decimal NetAmount, IReadOnlyList<BatchServiceTotalDto> Services, DateTimeOffset PostedAt);

/// <summary>
/// A whole month-end ledger extract in one request: all lines are posted, or none. Written with PostgreSQL binary
/// COPY in the command's transaction; the ledger trigger moves the monthly totals in the same statement.
/// </summary>
public sealed record PostCostBatch(IReadOnlyList<CostBatchLine> Lines, string Fingerprint, string? IdempotencyKey)
    : ICommand<CostBatchDto>, IAudited<CostBatchDto>, IIdempotent, IFingerprinted, IAuditSummary
{
    public const int MaxLines = 100_000;

    [JsonIgnore] public string AuditEntity => "cost-batch";
    public string AuditEntityId(CostBatchDto response) => response.BatchId.ToString();

    public JsonObject AuditSummary() => new()
    {
        ["lines"] = Lines.Count,
        ["netAmount"] = Lines.Sum(l => l.Amount ?? 0),
        ["services"] = new JsonArray(Lines.Select(l => l.Service).Distinct().Order(StringComparer.Ordinal).Select(s => (JsonNode?)s).ToArray()),
        ["sha256"] = Fingerprint,
    };
}

public sealed class PostCostBatchValidator : IValidator<PostCostBatch>
{
    private const int MaxErrors = 100;

    public void Validate(PostCostBatch request, ValidationErrors errors)
    {
        if (request.Lines.Count is 0 or > PostCostBatch.MaxLines)
        {
            errors.Add("lines", $"Send between 1 and {PostCostBatch.MaxLines:N0} lines.");
            return;
        }

        var lineErrors = new ValidationErrors();
        for (var i = 0; i < request.Lines.Count && lineErrors.Count < MaxErrors; i++)
        {
            var line = request.Lines[i];
            if (line is null)
            {
                lineErrors.Add($"lines[{i + 1}]", "Must be a cost line object, not null.");
                continue;
            }

            var at = $"lines[{i + 1}].";
            if (!Rules.IsCode(line.Service))
            {
                lineErrors.Add(at + "service", "Must be a shared service code.");
            }

            lineErrors.MonthText(at + "month", line.Month);
            lineErrors.Money(at + "amount", line.Amount);
            lineErrors.Name(at + "category", line.Category, 100);
            if (line.PaidBy is not null)
            {
                lineErrors.Code(at + "paidBy", line.PaidBy);
            }

            lineErrors.Name(at + "reference", line.Reference, 100, required: false);
            lineErrors.Text(at + "description", line.Description, 1000, required: false);
        }

        errors.AddRange(lineErrors.ToDictionary());
    }
}

public sealed class PostCostBatchHandler(ApportionmentDb db, Caller caller, TimeProvider clock) : ICommandHandler<PostCostBatch, CostBatchDto>
{
    public async ValueTask<CostBatchDto> Handle(PostCostBatch command, CancellationToken cancellationToken)
    {
        var codes = command.Lines.Select(l => l.Service!).Distinct().ToList();
        var services = await db.SharedServices.AsNoTracking().Include(s => s.Members)
            .Where(s => codes.Contains(s.Code)).ToDictionaryAsync(s => s.Code, cancellationToken);
        var months = command.Lines.Select(l => Month.Parse(l.Month!).FirstDay).ToArray();
        await EnsureAllowedAsync(command.Lines, months, services, cancellationToken);

        var batchId = Guid.CreateVersion7();
        var postedAt = clock.GetUtcNow();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy cost_postings (id, service_code, month, amount, category, paid_by, reference, description, batch_id, posted_at, posted_by_key) from stdin (format binary)",
            cancellationToken))
        {
            // A 100,000-line extract takes seconds, not the short command timeout that keeps outages answering fast.
            copy.Timeout = TimeSpan.FromSeconds(120);
            for (var i = 0; i < command.Lines.Count; i++)
            {
                var line = command.Lines[i];
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(line.Service!, NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(months[i], NpgsqlDbType.Date, cancellationToken);
                await copy.WriteAsync(line.Amount!.Value, NpgsqlDbType.Numeric, cancellationToken);
                await copy.WriteAsync(line.Category!.Trim(), NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(PaidBy(line, services[line.Service!]), NpgsqlDbType.Varchar, cancellationToken);
                await WriteNullableAsync(copy, line.Reference, cancellationToken);
                await WriteNullableAsync(copy, line.Description, cancellationToken);
                await copy.WriteAsync(batchId, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(postedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await (caller.KeyId is { } key ? copy.WriteAsync(key, NpgsqlDbType.Uuid, cancellationToken) : copy.WriteNullAsync(cancellationToken));
            }

            await copy.CompleteAsync(cancellationToken);
        }

        var byService = command.Lines.GroupBy(l => l.Service!).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new BatchServiceTotalDto(g.Key, g.Count(), g.Sum(l => l.Amount!.Value))).ToList();
        return new CostBatchDto(batchId, command.Lines.Count, byService.Sum(s => s.Amount), byService, postedAt);
    }

    private string PaidBy(CostBatchLine line, SharedService service) => line.PaidBy ?? (caller.IsAdmin ? service.HostCouncil : caller.Council!);

    private static ValueTask WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken ct) =>
        value is null ? new ValueTask(copy.WriteNullAsync(ct)) : new ValueTask(copy.WriteAsync(value, NpgsqlDbType.Varchar, ct));

    /// <summary>The same rules as a single posting, checked for every line before anything is written.</summary>
    private async Task EnsureAllowedAsync(IReadOnlyList<CostBatchLine> lines, DateOnly[] months, Dictionary<string, SharedService> services, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var forbidden = new List<string>();
        for (var i = 0; i < lines.Count && errors.Count < 100; i++)
        {
            var at = $"lines[{i + 1}].";
            // A service the key's council is not a member of is answered exactly as one that does not exist.
            if (!services.TryGetValue(lines[i].Service!, out var service) || !caller.CanSee(service.Members.Select(m => m.Council)))
            {
                errors.Add(at + "service", $"Unknown shared service '{lines[i].Service}'.");
                continue;
            }

            var paidBy = PaidBy(lines[i], service);
            if (service.Members.All(m => m.Council != paidBy))
            {
                errors.Add(at + "paidBy", $"Council '{paidBy}' is not a member of '{service.Code}'.");
            }
            else if (!caller.IsAdmin && paidBy != caller.Council)
            {
                forbidden.Add($"line {i + 1}");
            }

            if (ServiceRun.ProblemWith(service, months[i], clock) is { } monthProblem)
            {
                errors.Add(at + "month", monthProblem);
            }
        }

        if (!errors.IsEmpty)
        {
            throw new RequestValidationException(errors.ToDictionary());
        }

        if (forbidden.Count > 0)
        {
            throw new ForbiddenException($"This key belongs to council '{caller.Council}' and can post only what that council paid ({string.Join(", ", forbidden.Take(20))}).");
        }

        var (first, last) = (months.Min(), months.Max());
        var codes = services.Keys.ToList();
        foreach (var code in codes.Order(StringComparer.Ordinal))
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"select pg_advisory_xact_lock_shared(hashtext({code}))", ct);
        }

        var closed = await db.ClosedMonths.AsNoTracking().Where(c => codes.Contains(c.ServiceCode) && c.Month >= first && c.Month <= last)
            .Select(c => new { c.ServiceCode, c.Month }).ToListAsync(ct);
        var hit = closed.FirstOrDefault(c => lines.Where((l, i) => l.Service == c.ServiceCode && months[i] == c.Month).Any());
        if (hit is not null)
        {
            throw new ConflictException($"{hit.Month.ToMonthText()} is closed for '{hit.ServiceCode}': its statements have been issued and cannot change.", ProblemTypes.ClosedPeriod);
        }
    }
}

public static partial class PostCostBatchEndpoint
{
    public static void MapPostCostBatch(this RouteGroupBuilder costs) =>
        costs.MapPost("/cost-batches", async (HttpRequest request, [Microsoft.AspNetCore.Mvc.FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
                IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, IMediator mediator, CancellationToken ct) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body, ct);
                var bytes = body.GetBuffer().AsMemory(0, (int)body.Length);
                var lines = request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true
                    ? CostBatchCsv.Parse(bytes.Span)
                    : ReadJson(bytes, json.Value.SerializerOptions);
                var fingerprint = Convert.ToHexStringLower(SHA256.HashData(bytes.Span));
                var batch = await mediator.Send(new PostCostBatch(lines, fingerprint, idempotencyKey), ct);
                return TypedResults.Created($"/api/v1/cost-batches/{batch.BatchId}", batch);
            })
            .Accepts<IReadOnlyList<CostBatchLine>>("application/json", "text/csv")
            .WithName("PostCostBatch").WithSummary("Post a ledger extract (JSON array or CSV, up to 100,000 lines), all or nothing.")
            .RequireAuthorization(Scopes.CostsWrite);

    private static List<CostBatchLine> ReadJson(ReadOnlyMemory<byte> bytes, JsonSerializerOptions options)
    {
        try
        {
            return JsonSerializer.Deserialize<List<CostBatchLine>>(bytes.Span, options)
                ?? throw RequestValidationException.For("lines", "Send a JSON array of cost lines.");
        }
        catch (JsonException e) when (LinePath().Match(e.Path ?? "") is { Success: true } at)
        {
            // $[0].category is the first line's category: named as the CSV form and the validator name it.
            var field = $"lines[{int.Parse(at.Groups["index"].ValueSpan, CultureInfo.InvariantCulture) + 1}]{at.Groups["rest"].Value}";
            throw e is InvalidInputException input
                ? RequestValidationException.For(input.FieldUnder(field), input.Message)
                : RequestValidationException.For(field, "The value could not be read as JSON of the expected type.");
        }
        catch (JsonException e)
        {
            throw new BadHttpRequestException("The batch is not valid JSON.", StatusCodes.Status400BadRequest, e);
        }
    }

    [GeneratedRegex(@"^\$\[(?<index>\d+)\](?<rest>.*)$")]
    private static partial Regex LinePath();
}
