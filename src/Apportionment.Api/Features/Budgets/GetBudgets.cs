namespace Apportionment.Api.Features.Budgets;

/// <summary>The current budget for a year, or an earlier version with ?version=.</summary>
public sealed record GetBudget(string Service, string FinancialYear, int? Version) : IQuery<BudgetDto>;

public sealed class GetBudgetValidator : IValidator<GetBudget>
{
    public void Validate(GetBudget request, ValidationErrors errors)
    {
        errors.FinancialYearText("financialYear", request.FinancialYear);
        if (request.Version is < 1)
        {
            errors.Add("version", "Must be 1 or more.");
        }
    }
}

public sealed class GetBudgetHandler(ApportionmentDb db, Caller caller) : IQueryHandler<GetBudget, BudgetDto>
{
    public async ValueTask<BudgetDto> Handle(GetBudget query, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(query.Service, caller, cancellationToken);
        var year = query.FinancialYear.ToFinancialYear().FinancialYearStart;
        var budget = await db.Budgets.AsNoTracking()
            .Where(b => b.ServiceCode == service.Code && b.FinancialYear == year
                && (query.Version == null || b.Version == query.Version))
            .OrderByDescending(b => b.Version).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException(
                "Budget",
                $"{service.Code}/{query.FinancialYear}" + (query.Version is { } v ? $" version {v}" : ""));
        return BudgetDto.From(budget, await BudgetReads.TargetForAsync(db, service.Code, year, cancellationToken));
    }
}

/// <summary>The service's current budget for each year it has one, latest year first.</summary>
public sealed record ListBudgets(string Service, int? Offset, int? Limit) : IQuery<Page<BudgetDto>>;

public sealed class ListBudgetsValidator : IValidator<ListBudgets>
{
    public void Validate(ListBudgets request, ValidationErrors errors) => errors.Paging(request.Offset, request.Limit);
}

public sealed class ListBudgetsHandler(ApportionmentDb db, Caller caller) : IQueryHandler<ListBudgets, Page<BudgetDto>>
{
    public async ValueTask<Page<BudgetDto>> Handle(ListBudgets query, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(query.Service, caller, cancellationToken);
        var page = await db.Budgets.AsNoTracking()
            .Where(b => b.ServiceCode == service.Code
                && !db.Budgets.Any(later => later.ServiceCode == b.ServiceCode && later.FinancialYear == b.FinancialYear
                    && later.Version > b.Version))
            .OrderByDescending(b => b.FinancialYear)
            .PageAsync(query.Offset, query.Limit, cancellationToken);
        var items = new List<BudgetDto>();
        foreach (var budget in page.Items)
        {
            items.Add(BudgetDto.From(
                budget,
                await BudgetReads.TargetForAsync(db, service.Code, budget.FinancialYear, cancellationToken)));
        }

        return new Page<BudgetDto>(items, page.Offset, page.Limit, page.Total);
    }
}

public static class GetBudgetsEndpoints
{
    public static void MapGetBudgets(this RouteGroupBuilder budgets)
    {
        budgets.MapGet("/", async (string code, int? offset, int? limit, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListBudgets(code, offset, limit), ct)))
            .WithName("ListBudgets").WithSummary("The service's current budget for each financial year, latest first.")
            .RequireAuthorization(Scopes.StatementsRead);

        budgets.MapGet("/{financialYear}",
            async (string code, string financialYear, int? version, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetBudget(code, financialYear, version), ct)))
            .WithName("GetBudget").WithSummary(
                "The service's budget for a financial year: the current version, or ?version=n.")
            .RequireAuthorization(Scopes.StatementsRead);
    }
}
