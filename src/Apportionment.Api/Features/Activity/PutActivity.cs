using System.Text.Json.Serialization;
using Apportionment.Api.Features.Periods;
using Apportionment.Api.Features.Shared;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Pipeline;
using Apportionment.Api.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Features.Activity;

public sealed record ActivityDto(long Id, string Service, string Month, string Driver, IReadOnlyDictionary<string, decimal> Quantities, DateTimeOffset RecordedAt);

/// <summary>
/// A month's activity figures for a driver (surveyor hours, cases…), per council. A new return replaces the
/// month's figures; the earlier return is kept as history.
/// </summary>
public sealed record PutActivity(string Driver, IReadOnlyDictionary<string, decimal> Quantities) : ICommand<ActivityDto>, IAudited<ActivityDto>, IIdempotent
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
        errors.Text("driver", request.Driver, 64);
        if (request.Quantities is null || request.Quantities.Count == 0)
        {
            errors.Add("quantities", "Give at least one council's figure.");
            return;
        }

        foreach (var (council, quantity) in request.Quantities)
        {
            if (!Rules.IsCode(council))
            {
                errors.Add($"quantities.{council}", "Council codes are 2–16 characters of A–Z, 0–9 and '-'.");
            }

            if (quantity < 0 || decimal.Round(quantity, 4) != quantity || quantity >= 1_000_000_000_000m)
            {
                errors.Add($"quantities.{council}", "Must be 0 or more, with at most four decimal places.");
            }
        }
    }
}

public sealed class PutActivityHandler(ApportionmentDb db, Caller caller, ClosedMonths closed, TimeProvider clock) : ICommandHandler<PutActivity, ActivityDto>
{
    public async ValueTask<ActivityDto> Handle(PutActivity command, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(command.Service, caller, cancellationToken);
        var members = service.Members.Select(m => m.Council).ToHashSet(StringComparer.Ordinal);
        var outsiders = command.Quantities.Keys.Where(c => !members.Contains(c)).ToList();
        if (outsiders.Count > 0)
        {
            // A support service's driver is reported per recipient: the services it supports as well as councils.
            var services = await db.SharedServices.Where(s => outsiders.Contains(s.Code)).Select(s => s.Code).ToListAsync(cancellationToken);
            outsiders.RemoveAll(services.Contains);
        }

        if (outsiders.Count > 0)
        {
            throw RequestValidationException.For("quantities", $"Neither member(s) of '{service.Code}' nor shared services: {string.Join(", ", outsiders)}.");
        }

        var month = command.Month.ToMonthColumn();
        await closed.EnsureOpenAsync(service.Code, month, cancellationToken);
        var activity = new ActivityReturn
        {
            ServiceCode = service.Code,
            Month = month,
            Driver = command.Driver.Trim(),
            Quantities = new Dictionary<string, decimal>(command.Quantities, StringComparer.Ordinal),
            RecordedAt = clock.GetUtcNow(),
        };
        db.ActivityReturns.Add(activity);
        await db.SaveChangesAsync(cancellationToken);
        return new ActivityDto(activity.Id, activity.ServiceCode, command.Month, activity.Driver, activity.Quantities, activity.RecordedAt);
    }
}

public sealed record GetActivity(string Service, string Month, string? Driver, int? Offset = null, int? Limit = null) : IQuery<Page<ActivityDto>>;

public sealed class GetActivityValidator : IValidator<GetActivity>
{
    public void Validate(GetActivity request, ValidationErrors errors)
    {
        errors.MonthText("month", request.Month);
        errors.Paging(request.Offset, request.Limit);
    }
}

/// <summary>Every return for the month, newest first: the first per driver is the one in use.</summary>
public sealed class GetActivityHandler(ApportionmentDb db, Caller caller) : IQueryHandler<GetActivity, Page<ActivityDto>>
{
    public async ValueTask<Page<ActivityDto>> Handle(GetActivity query, CancellationToken cancellationToken)
    {
        await db.ServiceForAsync(query.Service, caller, cancellationToken);
        var month = query.Month.ToMonthColumn();
        var page = await db.ActivityReturns.AsNoTracking()
            .Where(a => a.ServiceCode == query.Service && a.Month == month && (query.Driver == null || a.Driver == query.Driver))
            .OrderByDescending(a => a.Id).PageAsync(query.Offset, query.Limit, cancellationToken);
        return new Page<ActivityDto>(page.Items.Select(a => new ActivityDto(a.Id, a.ServiceCode, query.Month, a.Driver, a.Quantities, a.RecordedAt)).ToList(),
            page.Offset, page.Limit, page.Total);
    }
}

public static class ActivityApi
{
    public static RouteGroupBuilder MapActivity(this RouteGroupBuilder api)
    {
        var activity = api.MapGroup("/shared-services/{code}/activity").WithTags("Activity");
        activity.MapPut("/{month}", async (string code, string month, PutActivity command, [Microsoft.AspNetCore.Mvc.FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(command with { Service = code, Month = month, IdempotencyKey = idempotencyKey }, ct)))
            .WithName("PutActivity").WithSummary("Report a month's activity figures for a driver; replaces that month's figures, keeping history.")
            .RequireAuthorization(Scopes.CostsWrite);
        activity.MapGet("/{month}", async (string code, string month, string? driver, int? offset, int? limit, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetActivity(code, month, driver, offset, limit), ct)))
            .WithName("GetActivity").WithSummary("A month's activity returns, newest first.")
            .RequireAuthorization(Scopes.StatementsRead);
        return api;
    }
}
