using System.Text.Json.Serialization;

namespace Apportionment.Api.Features.Costs;

/// <summary>
/// Corrects a posting by reversing it: a new posting of the negated amount, linked to the original. If the original's
/// month is closed the reversal lands in the earliest open month after it within the service's run, so issued
/// statements never change; if every later month of the run is closed there is nowhere for it to go (409).
/// </summary>
public sealed record ReverseCost(string Reason) : ICommand<CostPostingDto>, IAudited<CostPostingDto>, IIdempotent
{
    [JsonIgnore] public Guid PostingId { get; init; }
    [JsonIgnore] public string? IdempotencyKey { get; init; }

    [JsonIgnore] public string AuditEntity => "cost-posting";
    public string AuditEntityId(CostPostingDto response) => response.Id.ToString();
}

public sealed class ReverseCostValidator : IValidator<ReverseCost>
{
    public void Validate(ReverseCost request, ValidationErrors errors) => errors.Text("reason", request.Reason, 500);
}

public sealed class ReverseCostHandler(
    ApportionmentDb db,
    Caller caller,
    ClosedMonths closed,
    TimeProvider clock) : ICommandHandler<ReverseCost, CostPostingDto>
{
    public async ValueTask<CostPostingDto> Handle(ReverseCost command, CancellationToken cancellationToken)
    {
        var notFound = new NotFoundException("Cost posting", command.PostingId.ToString());
        var original = await db.CostPostings.AsNoTracking()
            .SingleOrDefaultAsync(p => p.Id == command.PostingId, cancellationToken) ?? throw notFound;
        var service = await db.ServiceForAsync(original.ServiceCode, caller, cancellationToken, hidden: notFound);
        CostRules.EnsureCanPost(caller, service, original.PaidBy);
        if (original.ReversalOf is not null)
        {
            throw new ConflictException("A reversal cannot itself be reversed; post the cost again instead.");
        }

        if (await db.CostPostings.AnyAsync(p => p.ReversalOf == original.Id, cancellationToken))
        {
            throw new ConflictException($"Posting {original.Id} has already been reversed.");
        }

        var reversal = new CostPosting
        {
            Id = Guid.CreateVersion7(),
            ServiceCode = original.ServiceCode,
            Month = await closed.EarliestOpenFromAsync(service, original.Month, cancellationToken),
            Amount = -original.Amount,
            Category = original.Category,
            PaidBy = original.PaidBy,
            Reference = original.Reference,
            Description = original.Description,
            ReversalOf = original.Id,
            ReversalReason = command.Reason.Trim(),
            PostedAt = clock.GetUtcNow(),
            PostedByKey = caller.KeyId,
        };
        db.CostPostings.Add(reversal);
        // The unique index on reversal_of settles a race between two reversals: the loser gets 409.
        await db.SaveChangesAsync(cancellationToken);
        return CostPostingDto.From(reversal);
    }
}

public static class ReverseCostEndpoint
{
    public static void MapReverseCost(this RouteGroupBuilder costs) =>
        costs.MapPost("/costs/{id:guid}/reversal",
            async (Guid id, ReverseCost command,
                [Microsoft.AspNetCore.Mvc.FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
                IMediator mediator, CancellationToken ct) =>
            {
                var reversal = await mediator.Send(
                    command with { PostingId = id, IdempotencyKey = idempotencyKey },
                    ct);
                return TypedResults.Created($"/api/v1/costs/{reversal.Id}", reversal);
            })
            .WithName("ReverseCost").WithSummary("Reverse a posting (the only way to correct one).")
            .RequireAuthorization(Scopes.CostsWrite);
}
