using System.Text.Json.Serialization;

namespace Apportionment.Api.Features.Budgets;

/// <summary>
/// The partners' agreed saving, e.g. 10% a year from 2024-25: each later year's target is the previous year's target
/// (the base year's budget to start) less the percentage, rounded to the penny. Replaces any earlier target; the
/// audit trail keeps the history.
/// </summary>
public sealed record PutReductionTarget(decimal? ReductionPercent, string BaseYear) :
    ICommand<ReductionTargetDto>,
    IAudited<ReductionTargetDto>,
    IIdempotent
{
    [JsonIgnore] public string Service { get; init; } = "";
    [JsonIgnore] public string? IdempotencyKey { get; init; }

    [JsonIgnore] public string AuditEntity => "reduction-target";
    public string AuditEntityId(ReductionTargetDto response) => response.Service;
}

public sealed class PutReductionTargetValidator : IValidator<PutReductionTarget>
{
    public void Validate(PutReductionTarget request, ValidationErrors errors)
    {
        errors.AddRange(ReductionTarget.Validate(request.ReductionPercent));
        errors.FinancialYearText("baseYear", request.BaseYear);
    }
}

public sealed class PutReductionTargetHandler(
    ApportionmentDb db,
    Caller caller,
    TimeProvider clock) : ICommandHandler<PutReductionTarget, ReductionTargetDto>
{
    public async ValueTask<ReductionTargetDto> Handle(PutReductionTarget command, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(command.Service, caller, cancellationToken);
        caller.EnsureActsFor(service.HostCouncil, "set budget targets (only the host council may)");
        var baseYear = command.BaseYear.ToFinancialYear();
        if (BudgetRules.RunningPositions(service, baseYear) is null)
        {
            throw RequestValidationException.For("baseYear", $"'{service.Code}' does not run in {baseYear}.");
        }

        var target = await db.BudgetTargets.SingleOrDefaultAsync(t => t.ServiceCode == service.Code, cancellationToken);
        if (target is null)
        {
            target = new BudgetTarget { ServiceCode = service.Code };
            db.BudgetTargets.Add(target);
        }

        target.ReductionPercent = command.ReductionPercent!.Value;
        target.BaseYear = baseYear.FinancialYearStart;
        target.SetAt = clock.GetUtcNow();
        target.SetByKey = caller.KeyId;
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(target);
    }

    public static ReductionTargetDto ToDto(BudgetTarget t) =>
        new(t.ServiceCode, t.ReductionPercent, Period.FinancialYear(t.BaseYear).ToString(), t.SetAt);
}

public sealed record GetReductionTarget(string Service) : IQuery<ReductionTargetDto>;

public sealed class GetReductionTargetHandler(
    ApportionmentDb db,
    Caller caller) : IQueryHandler<GetReductionTarget, ReductionTargetDto>
{
    public async ValueTask<ReductionTargetDto> Handle(GetReductionTarget query, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(query.Service, caller, cancellationToken);
        var target = await db.BudgetTargets.AsNoTracking()
            .SingleOrDefaultAsync(t => t.ServiceCode == service.Code, cancellationToken)
            ?? throw new NotFoundException("Reduction target of shared service", service.Code);
        return PutReductionTargetHandler.ToDto(target);
    }
}

public static class ReductionTargetEndpoints
{
    public static void MapReductionTarget(this RouteGroupBuilder services)
    {
        services.MapPut("/reduction-target", async (string code, PutReductionTarget command,
                [Microsoft.AspNetCore.Mvc.FromHeader(
                    Name = "Idempotency-Key")] string? idempotencyKey, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(
                    await mediator.Send(command with { Service = code, IdempotencyKey = idempotencyKey }, ct)))
            .WithName("PutReductionTarget").WithSummary(
                "Set the service's budget reduction target: a percentage a year from a base year's budget.")
            .RequireAuthorization(Scopes.BudgetsWrite);

        services.MapGet("/reduction-target", async (string code, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetReductionTarget(code), ct)))
            .WithName("GetReductionTarget").WithSummary("The service's budget reduction target.")
            .RequireAuthorization(Scopes.StatementsRead);
    }
}
