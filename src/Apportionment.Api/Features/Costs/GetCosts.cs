namespace Apportionment.Api.Features.Costs;

/// <summary>
/// A page of the ledger, or with <paramref name="WholeLedger"/> every posting of the period (for CSV).
/// </summary>
public sealed record ListCosts(
    string Service,
    string? Period,
    int? Offset,
    int? Limit,
    bool WholeLedger = false) : IQuery<Page<CostPostingDto>>;

public sealed class ListCostsValidator : IValidator<ListCosts>
{
    public void Validate(ListCosts request, ValidationErrors errors)
    {
        if (request.Period is not null)
        {
            errors.PeriodText("period", request.Period);
        }

        errors.Paging(request.Offset, request.Limit);
    }
}

/// <summary>The service's ledger, newest first, each posting showing the reversal that corrected it if any.</summary>
public sealed class ListCostsHandler(
    [ReadDb] ApportionmentDb db,
    Caller caller) : IQueryHandler<ListCosts, Page<CostPostingDto>>
{
    public async ValueTask<Page<CostPostingDto>> Handle(ListCosts query, CancellationToken cancellationToken)
    {
        await db.ServiceForAsync(query.Service, caller, cancellationToken);
        var postings = db.CostPostings.AsNoTracking().Where(p => p.ServiceCode == query.Service);
        if (query.Period is not null)
        {
            var period = Period.Parse(query.Period);
            var (first, last) = (period.First.FirstDay, period.Last.FirstDay);
            postings = postings.Where(p => p.Month >= first && p.Month <= last);
        }

        var ledger = postings.OrderByDescending(p => p.Month).ThenByDescending(p => p.Id)
            .Select(p => new
            {
                Posting = p,
                ReversedBy = db.CostPostings.Where(r => r.ReversalOf == p.Id)
                .Select(r => (Guid?)r.Id)
                .FirstOrDefault()
            });
        if (query.WholeLedger)
        {
            var all = (await ledger.ToListAsync(cancellationToken)).Select(
                x => CostPostingDto.From(x.Posting, x.ReversedBy)).ToList();
            return new Page<CostPostingDto>(all, 0, all.Count, all.Count);
        }

        var page = await ledger.PageAsync(query.Offset, query.Limit, cancellationToken);
        return new Page<CostPostingDto>(
            page.Items.Select(x => CostPostingDto.From(x.Posting, x.ReversedBy)).ToList(),
            page.Offset,
            page.Limit,
            page.Total);
    }
}

public sealed record GetCost(Guid Id) : IQuery<CostPostingDto>;

public sealed class GetCostHandler(ApportionmentDb db, Caller caller) : IQueryHandler<GetCost, CostPostingDto>
{
    public async ValueTask<CostPostingDto> Handle(GetCost query, CancellationToken cancellationToken)
    {
        var found = await db.CostPostings.AsNoTracking().Where(p => p.Id == query.Id)
            .Select(p => new
            {
                Posting = p,
                ReversedBy = db.CostPostings.Where(r => r.ReversalOf == p.Id)
                .Select(r => (Guid?)r.Id)
                .FirstOrDefault()
            })
            .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException(
                "Cost posting",
                query.Id.ToString());
        await db.ServiceForAsync(
            found.Posting.ServiceCode,
            caller,
            cancellationToken,
            hidden: new NotFoundException("Cost posting", query.Id.ToString()));
        return CostPostingDto.From(found.Posting, found.ReversedBy);
    }
}

public static class GetCostsEndpoints
{
    public static void MapGetCosts(this RouteGroupBuilder costs)
    {
        costs.MapGet("/shared-services/{code}/costs",
            async (string code, string? period, int? offset, int? limit, HttpRequest request, IMediator mediator,
                CancellationToken ct) =>
            {
                // A spreadsheet (CSV or xlsx) wants the whole ledger of the period, not a page of it.
                var format = Csv.Negotiate(request);
                var sheet = format != ReportFormat.Json;
                var page = await mediator.Send(new ListCosts(code, period, offset, limit, WholeLedger: sheet), ct);
                return sheet ? CostPostingDto.Ledger(code, period, page.Items).ToResult(format) : Results.Ok(page);
            })
            .WithName(
                "ListCosts").WithSummary("The service's cost ledger, newest first (as CSV or xlsx: every posting of "
                    + "the period, with a TOTAL row).")
            .Produces<Page<CostPostingDto>>(StatusCodes.Status200OK, "application/json", "text/csv")
            .RequireAuthorization(Scopes.StatementsRead);
        costs.MapGet("/costs/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetCost(id), ct)))
            .WithName("GetCost").WithSummary("One posting, with the reversal that corrected it if any.")
            .RequireAuthorization(Scopes.StatementsRead);
    }
}
