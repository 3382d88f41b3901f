using System.Text.Json.Serialization;

namespace Apportionment.Api.Features.Costs;

/// <summary>
/// Posts one month's cost (or, negative, income) of a shared service to the ledger. paidBy is the council that
/// actually paid it, the host unless said otherwise.
/// </summary>
public sealed record PostCost(
    string Month,
    decimal? Amount,
    string Category,
    string? PaidBy,
    string? Reference,
    string? Description)
    : ICommand<CostPostingDto>, IAudited<CostPostingDto>, IIdempotent, ISavedInOneBatch
{
    [JsonIgnore] public string Service { get; init; } = "";
    [JsonIgnore] public string? IdempotencyKey { get; init; }

    [JsonIgnore] public string AuditEntity => "cost-posting";
    public string AuditEntityId(CostPostingDto response) => response.Id.ToString();
}

public sealed class PostCostValidator : IValidator<PostCost>
{
    public void Validate(PostCost request, ValidationErrors errors)
    {
        errors.MonthText("month", request.Month);
        errors.Money("amount", request.Amount);
        errors.Name("category", request.Category, 100);
        if (request.PaidBy is not null)
        {
            errors.Code("paidBy", request.PaidBy);
        }

        errors.Name("reference", request.Reference, 100, required: false);
        errors.Text("description", request.Description, 1000, required: false);
    }
}

public sealed class PostCostHandler(
    ApportionmentDb db,
    ServiceCache services,
    PendingRows pending,
    Caller caller,
    TimeProvider clock) : ICommandHandler<PostCost, CostPostingDto>
{
    public async ValueTask<CostPostingDto> Handle(PostCost command, CancellationToken cancellationToken)
    {
        var service = await db.CachedServiceForAsync(services, command.Service, caller, cancellationToken);
        var paidBy = command.PaidBy ?? (caller.IsAdmin ? service.HostCouncil : caller.Council!);
        CostRules.EnsureCanPost(caller, service, paidBy);

        var month = command.Month.ToMonthColumn();
        // A closed month is refused by the ledger's own trigger when the posting is saved (ClosedMonthGuard).
        service.EnsureWritable(month, clock);
        var posting = new CostPosting
        {
            Id = Guid.CreateVersion7(),
            ServiceCode = service.Code,
            Month = month,
            Amount = command.Amount!.Value,
            Category = command.Category.Trim(),
            PaidBy = paidBy,
            Reference = command.Reference,
            Description = command.Description,
            PostedAt = clock.GetUtcNow(),
            PostedByKey = caller.KeyId,
        };
        // Saved with the audit event and the idempotency record in one round trip by the transaction behaviour, after
        // the database has checked that the service still reads as it did here (OneBatchWrite).
        pending.Add(posting);
        return CostPostingDto.From(posting);
    }
}

public static class CostRules
{
    /// <summary>paidBy must be a member; a council's finance system posts only what its own council paid.</summary>
    public static void EnsureCanPost(Caller caller, SharedService service, string paidBy, string field = "paidBy")
    {
        if (service.Members.All(m => m.Council != paidBy))
        {
            throw RequestValidationException.For(field, $"Council '{paidBy}' is not a member of '{service.Code}'.");
        }

        caller.EnsureActsFor(paidBy, "post costs");
    }
}

public static class PostCostEndpoint
{
    public static void MapPostCost(this RouteGroupBuilder costs) =>
        costs.MapPost("/shared-services/{code}/costs",
            async (string code, PostCost command,
                [Microsoft.AspNetCore.Mvc.FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
                IMediator mediator, CancellationToken ct) =>
            {
                var posting = await mediator.Send(command with { Service = code, IdempotencyKey = idempotencyKey }, ct);
                return TypedResults.Created($"/api/v1/costs/{posting.Id}", posting);
            })
            .WithName("PostCost").WithSummary("Post a month's cost (negative: income) to the service's ledger.")
            .RequireAuthorization(Scopes.CostsWrite);
}
