using System.Text.Json.Serialization;
using Apportionment.Api.Infrastructure.Webhooks;

namespace Apportionment.Api.Features.Periods;

public sealed record PeriodStatusDto(string Month, bool Closed, DateTimeOffset? ClosedAt);

/// <summary>
/// Closes a month of a service: its statements are issued. Only an admin or the host council's finance system may, and
/// months close in order, one at a time, within the service's run and no later than the current month, so the closed
/// months are always the run's first months and a correction always has a later open month to land in.
/// </summary>
public sealed record CloseMonth(string Service, string Month) : ICommand<PeriodStatusDto>, IAudited<PeriodStatusDto>
{
    [JsonIgnore] public string AuditEntity => "closed-month";
    public string AuditEntityId(PeriodStatusDto response) => $"{Service}/{response.Month}";
}

public sealed class CloseMonthValidator : IValidator<CloseMonth>
{
    public void Validate(CloseMonth request, ValidationErrors errors) => errors.MonthText("month", request.Month);
}

public sealed class CloseMonthHandler(
    ApportionmentDb db,
    Caller caller,
    WebhookOutbox outbox,
    TimeProvider clock,
    LedgerReader ledger)
    : ICommandHandler<CloseMonth, PeriodStatusDto>
{
    public async ValueTask<PeriodStatusDto> Handle(CloseMonth command, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(command.Service, caller, cancellationToken);
        caller.EnsureActsFor(service.HostCouncil, "close months (only the host council may)");
        var month = command.Month.ToMonthColumn();
        if (!service.Contains(month))
        {
            throw RequestValidationException.For(
                "month",
                $"{service.RunText()}; {command.Month} is outside it and has no statements to issue.");
        }

        if (month > clock.CurrentMonth())
        {
            throw RequestValidationException.For(
                "month",
                $"{command.Month} has not begun; a month can be closed from its first day.");
        }

        await db.LockExclusiveAsync(service.Code, cancellationToken);
        var closedMonths = await db.ClosedMonths.Where(c => c.ServiceCode == service.Code).Select(c => c.Month)
            .ToListAsync(cancellationToken);
        if (closedMonths.Contains(month))
        {
            throw new ConflictException(
                $"{command.Month} is already closed for '{service.Code}'.",
                ProblemTypes.ClosedPeriod);
        }

        // Closed months are always the run's first months, so the earliest open one follows the last closed.
        var earliestOpen = closedMonths.Count == 0 ? service.StartMonth : closedMonths.Max().AddMonths(1);
        if (earliestOpen < month)
        {
            throw new ConflictException(
                $"Months of '{service.Code}' close in order: close {earliestOpen.ToMonthText()} first (the earliest "
                    + $"open month) before {command.Month}.");
        }

        // Only what can be issued: a month that cannot be apportioned (missing driver figures, no agreement, a support
        // loop without a way out, or any of that upstream of it) is refused with the 422 naming the service, month and
        // what is missing, and stays open so it can be put right.
        await ledger.ReadAsync([service.Code], Period.ForMonth(Month.FromDate(month)), cancellationToken);

        // The name goes out on the month's statements; it is kept so a later rename cannot change an issued statement.
        var closed = new ClosedMonth
        {
            ServiceCode = service.Code,
            Month = month,
            ClosedAt = clock.GetUtcNow(),
            ClosedByKey = caller.KeyId,
            ServiceName = service.Name
        };
        db.ClosedMonths.Add(closed);
        await db.SaveChangesAsync(cancellationToken);
        await outbox.PeriodClosedAsync(service, command.Month, closed.ClosedAt, cancellationToken);
        await outbox.JournalReadyAsync(service, command.Month, closed.ClosedAt, cancellationToken);
        return new PeriodStatusDto(command.Month, true, closed.ClosedAt);
    }
}

public sealed record ListPeriods(
    string Service,
    string? Period,
    int? Offset = null,
    int? Limit = null) : IQuery<Page<PeriodStatusDto>>;

public sealed class ListPeriodsValidator : IValidator<ListPeriods>
{
    public void Validate(ListPeriods request, ValidationErrors errors)
    {
        if (request.Period is not null)
        {
            errors.PeriodText("period", request.Period);
        }

        errors.Paging(request.Offset, request.Limit);
    }
}

/// <summary>Every month of the period (default: the service's months so far), open or closed.</summary>
public sealed class ListPeriodsHandler(
    ApportionmentDb db,
    Caller caller,
    TimeProvider clock) : IQueryHandler<ListPeriods, Page<PeriodStatusDto>>
{
    public async ValueTask<Page<PeriodStatusDto>> Handle(ListPeriods query, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(query.Service, caller, cancellationToken);
        var closed = await db.ClosedMonths.AsNoTracking().Where(c => c.ServiceCode == service.Code)
            .ToDictionaryAsync(c => c.Month, c => c.ClosedAt, cancellationToken);
        IEnumerable<Month> months;
        if (query.Period is not null)
        {
            months = Period.Parse(query.Period).Months;
        }
        else
        {
            var first = Month.FromDate(service.StartMonth);
            var now = Month.FromDate(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
            var last = service.EndMonth is { } end && Month.FromDate(end) < now ? Month.FromDate(end) : now;
            months = Enumerable.Range(0, Math.Max(0, last.Index - first.Index + 1)).Select(first.AddMonths);
        }

        return months.Select(m => new PeriodStatusDto(
            m.ToString(),
            closed.ContainsKey(m.FirstDay),
            closed.TryGetValue(m.FirstDay, out var at) ? at : null))
            .ToList().PageOf(query.Offset, query.Limit);
    }
}

public static class PeriodsApi
{
    public static RouteGroupBuilder MapPeriods(this RouteGroupBuilder api)
    {
        var periods = api.MapGroup("/shared-services/{code}/periods").WithTags("Periods");
        periods.MapPost("/{month}/close", async (string code, string month, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new CloseMonth(code, month), ct)))
            .WithName(
                "CloseMonth").WithSummary("Close a month (in order, within the run, once it has begun): its postings, "
                    + "activity and agreements can no longer change.")
            .RequireAuthorization(Scopes.CostsWrite);
        periods.MapGet("/",
            async (string code, string? period, int? offset, int? limit, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListPeriods(code, period, offset, limit), ct)))
            .WithName("ListPeriods").WithSummary("Open and closed months of the service.")
            .RequireAuthorization(Scopes.StatementsRead);
        return api;
    }
}
