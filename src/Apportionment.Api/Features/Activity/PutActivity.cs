using System.Text.Json.Serialization;
using Apportionment.Api.Infrastructure.Input;

namespace Apportionment.Api.Features.Activity;

public sealed record ActivityDto(
    long Id,
    string Service,
    string Month,
    string Driver,
    IReadOnlyDictionary<string, decimal> Quantities,
    DateTimeOffset RecordedAt);

/// <summary>
/// A month's activity figures for a driver (surveyor hours, cases…), per council. A council's key reports and corrects
/// only its own council's figure, which is merged into the month's return (the other councils' figures stay as they
/// are); only the admin key replaces a whole return. Every version is kept as history, and the audit trail says who
/// sent it.
/// </summary>
public sealed record PutActivity(string Driver, IReadOnlyDictionary<string, decimal> Quantities) :
    ICommand<ActivityDto>,
    IAudited<ActivityDto>,
    IIdempotent
{
    [JsonIgnore] public string Service { get; init; } = "";
    [JsonIgnore] public string Month { get; init; } = "";
    [JsonIgnore] public string? IdempotencyKey { get; init; }

    [JsonIgnore] public string AuditEntity => "activity";
    public string AuditEntityId(ActivityDto response) => response.Id.ToString();
}

public sealed class PutActivityValidator : IValidator<PutActivity>
{
    public void Validate(PutActivity request, ValidationErrors errors)
    {
        errors.MonthText("month", request.Month);
        errors.Name("driver", request.Driver, 64);
        if (request.Quantities is null || request.Quantities.Count == 0)
        {
            errors.Add("quantities", "Give at least one council's figure.");
            return;
        }

        foreach (var (council, quantity) in request.Quantities)
        {
            if (!Rules.IsCode(council))
            {
                // A key with control characters is not echoed back as a field name.
                errors.Add(
                    InputText.NameProblem(council) is null ? $"quantities.{council}" : "quantities",
                    "Council codes are 2–16 characters of A–Z, 0–9 and '-'.");
            }

            if (quantity < 0 || decimal.Round(quantity, 4) != quantity || quantity >= 1_000_000_000_000m)
            {
                errors.Add($"quantities.{council}", "Must be 0 or more, with at most four decimal places.");
            }
        }
    }
}

public sealed class PutActivityHandler(
    ApportionmentDb db,
    Caller caller,
    ClosedMonths closed,
    TimeProvider clock) : ICommandHandler<PutActivity, ActivityDto>
{
    public async ValueTask<ActivityDto> Handle(PutActivity command, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(command.Service, caller, cancellationToken);
        var members = service.Members.Select(m => m.Council).ToHashSet(StringComparer.Ordinal);
        var outsiders = command.Quantities.Keys.Where(c => !members.Contains(c)).ToList();
        List<string> services = [];
        if (outsiders.Count > 0)
        {
            // A support service's driver is reported per recipient: the services it supports as well as councils.
            services = await db.SharedServices.Where(s => outsiders.Contains(s.Code)).Select(s => s.Code)
                .ToListAsync(cancellationToken);
            outsiders.RemoveAll(services.Contains);
        }

        if (outsiders.Count > 0)
        {
            throw RequestValidationException.For(
                "quantities",
                $"Neither member(s) of '{service.Code}' nor shared services: {string.Join(", ", outsiders)}.");
        }

        // A split by activity is only as fair as its figures: no council may set another's. The figures a support
        // service logs against the services it supports are the host's to report.
        var others = command.Quantities.Keys
            .Where(c => !caller.IsAdmin && c != caller.Council
                && !(services.Contains(c) && caller.Council == service.HostCouncil))
            .Order(StringComparer.Ordinal).ToList();
        if (others.Count > 0)
        {
            throw new ForbiddenException(
                $"This key belongs to council '{caller.Council}' and reports only its own figure; it cannot report or "
                    + $"correct the figure of council(s) {string.Join(", ", others)}.");
        }

        var month = command.Month.ToMonthColumn();
        service.EnsureWritable(month, clock);
        await closed.EnsureOpenAsync(service.Code, month, cancellationToken);
        var driver = command.Driver.Trim();
        var quantities = caller.IsAdmin
            ? new Dictionary<string, decimal>(command.Quantities, StringComparer.Ordinal)
            : await MergedWithCurrentAsync(service.Code, month, driver, command.Quantities, cancellationToken);
        if (quantities.Values.Sum() <= 0)
        {
            throw RequestValidationException.For("quantities",
                $"The {month.ToMonthText()} figures for '{driver}' would total 0; a driver month needs at least one "
                    + "council's figure above 0 to split by.");
        }

        var activity = new ActivityReturn
        {
            ServiceCode = service.Code,
            Month = month,
            Driver = driver,
            Quantities = quantities,
            RecordedAt = clock.GetUtcNow(),
        };
        db.ActivityReturns.Add(activity);
        await db.SaveChangesAsync(cancellationToken);
        return new ActivityDto(
            activity.Id,
            activity.ServiceCode,
            command.Month,
            activity.Driver,
            activity.Quantities,
            activity.RecordedAt);
    }

    /// <summary>
    /// The month's current return with the council's own figure put in. Two councils reporting at once are serialised,
    /// so neither's figure is lost from the other's version.
    /// </summary>
    private async Task<Dictionary<string, decimal>> MergedWithCurrentAsync(
        string service, DateOnly month, string driver, IReadOnlyDictionary<string, decimal> own, CancellationToken ct)
    {
        var lockKey = $"activity:{service}:{month:yyyy-MM}:{driver}";
        await db.LockExclusiveAsync(lockKey, ct);
        var current = await db.ActivityReturns.AsNoTracking()
            .Where(a => a.ServiceCode == service && a.Month == month && a.Driver == driver)
            .OrderByDescending(a => a.Id).Select(a => a.Quantities).FirstOrDefaultAsync(ct);
        var merged = new Dictionary<string, decimal>(
            current ?? new Dictionary<string, decimal>(),
            StringComparer.Ordinal);
        foreach (var (council, quantity) in own)
        {
            merged[council] = quantity;
        }

        return merged;
    }
}

public sealed record GetActivity(
    string Service,
    string Month,
    string? Driver,
    int? Offset = null,
    int? Limit = null) : IQuery<Page<ActivityDto>>;

public sealed class GetActivityValidator : IValidator<GetActivity>
{
    public void Validate(GetActivity request, ValidationErrors errors)
    {
        errors.MonthText("month", request.Month);
        errors.Paging(request.Offset, request.Limit);
    }
}

/// <summary>Every return for the month, newest first: the first per driver is the one in use.</summary>
public sealed class GetActivityHandler(
    ApportionmentDb db,
    Caller caller) : IQueryHandler<GetActivity, Page<ActivityDto>>
{
    public async ValueTask<Page<ActivityDto>> Handle(GetActivity query, CancellationToken cancellationToken)
    {
        await db.ServiceForAsync(query.Service, caller, cancellationToken);
        var month = query.Month.ToMonthColumn();
        var page = await db.ActivityReturns.AsNoTracking()
            .Where(a => a.ServiceCode == query.Service && a.Month == month
                && (query.Driver == null || a.Driver == query.Driver))
            .OrderByDescending(a => a.Id).PageAsync(query.Offset, query.Limit, cancellationToken);
        return new Page<ActivityDto>(page.Items.Select(
            a => new ActivityDto(a.Id, a.ServiceCode, query.Month, a.Driver, a.Quantities, a.RecordedAt)).ToList(),
            page.Offset, page.Limit, page.Total);
    }
}

public static class ActivityApi
{
    public static RouteGroupBuilder MapActivity(this RouteGroupBuilder api)
    {
        var activity = api.MapGroup("/shared-services/{code}/activity").WithTags("Activity");
        activity.MapPut("/{month}",
            async (string code, string month, PutActivity command,
                [Microsoft.AspNetCore.Mvc.FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
                IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(
                    command with { Service = code, Month = month, IdempotencyKey = idempotencyKey },
                    ct)))
            .WithName(
                "PutActivity").WithSummary("Report a month's activity figures for a driver: a council key its own "
                    + "figure (merged), the admin key the whole return; history kept.")
            .RequireAuthorization(Scopes.CostsWrite);
        activity.MapGet("/{month}",
            async (string code, string month, string? driver, int? offset, int? limit, IMediator mediator,
                CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetActivity(code, month, driver, offset, limit), ct)))
            .WithName("GetActivity").WithSummary("A month's activity returns, newest first.")
            .RequireAuthorization(Scopes.StatementsRead);
        return api;
    }
}
