namespace Apportionment.Api.Features.Agreements;

/// <summary>difference = proposed − current: above zero the council would pay more under the proposal.</summary>
public sealed record CouncilImpactDto(string Council, decimal Current, decimal Proposed, decimal Difference);

public sealed record ProposalImpactDto(
    string Service,
    Guid Agreement,
    string EffectiveFrom,
    string Period,
    decimal NetCost,
    IReadOnlyList<CouncilImpactDto> Councils);

/// <summary>
/// What a proposed agreement would change: each council's share of the period's actual costs under the agreements in
/// force now, and as if the proposal were agreed from its effectiveFrom. Months before effectiveFrom are unchanged.
/// Every member council may read it, so every council the proposal names can see its own figure before approving.
/// </summary>
public sealed record GetProposalImpact(string Service, Guid Id, string Period) : IQuery<ProposalImpactDto>;

public sealed class GetProposalImpactValidator : IValidator<GetProposalImpact>
{
    public void Validate(GetProposalImpact request, ValidationErrors errors)
        => errors.PeriodText("period", request.Period);
}

public sealed class GetProposalImpactHandler(
    [ReadDb] ApportionmentDb db,
    Caller caller,
    LedgerReader ledger,
    ClosedMonths closed) : IQueryHandler<GetProposalImpact, ProposalImpactDto>
{
    public async ValueTask<ProposalImpactDto> Handle(GetProposalImpact query, CancellationToken cancellationToken)
    {
        var service = await db.ServiceOfAgreementAsync(caller, query.Service, query.Id, cancellationToken);
        var proposal = await db.SplitAgreements.AsNoTracking().Include(a => a.Shares)
            .SingleOrDefaultAsync(a => a.Id == query.Id && a.ServiceCode == service.Code, cancellationToken)
            ?? throw new NotFoundException("Split agreement", query.Id.ToString());
        if (proposal.Status != AgreementStatus.Proposed)
        {
            throw new ConflictException($"Agreement {proposal.Id} is {proposal.Status}, not proposed: its effect is "
                + "already in (or out of) the figures.");
        }

        var period = Period.Parse(query.Period);
        if (!proposal.IsSupport)
        {
            var current = (await ledger.ReadAsync([service.Code], period, cancellationToken))[0].Apportionment;
            var proposed = (await ledger.ReadAsync([service.Code], period, cancellationToken, proposal))[0]
                .Apportionment;
            var councils = ProposalImpact.Compare(current, proposed)
                .Select(c => new CouncilImpactDto(c.Council, c.Current, c.Proposed, c.Difference))
                .ToList();
            return new ProposalImpactDto(
                service.Code,
                proposal.Id,
                proposal.EffectiveFrom.ToMonthText(),
                period.ToString(),
                current.NetCost,
                councils);
        }

        // A support agreement moves cost into the services it supports and on downstream: compare every council's
        // shares across all of them, shown to the councils that must approve it.
        var affected = await closed.DownstreamAsync(
            [service.Code, .. proposal.Supports],
            period.First.FirstDay,
            null,
            cancellationToken);
        var now = (await ledger.ReadAsync(affected, period, cancellationToken)).Select(l => l.Apportionment).ToList();
        var then = (await ledger.ReadAsync(affected, period, cancellationToken, proposal)).Select(l => l.Apportionment)
            .ToList();
        var impacts = ProposalImpact.Compare(now, then).Where(c => proposal.Approvers.Contains(c.Council))
            .Select(c => new CouncilImpactDto(c.Council, c.Current, c.Proposed, c.Difference)).ToList();
        return new ProposalImpactDto(service.Code, proposal.Id, proposal.EffectiveFrom.ToMonthText(), period.ToString(),
            now.Single(a => a.Service == service.Code).NetCost, impacts);
    }
}

public static class GetProposalImpactEndpoint
{
    public static void MapGetProposalImpact(this RouteGroupBuilder agreements) =>
        agreements.MapGet("/{id:guid}/impact/{period}",
            async (string code, Guid id, string period, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetProposalImpact(code, id, period), ct)))
            .WithName(
                "GetProposalImpact").WithSummary("What each council would pay for a period if a proposed agreement "
                    + "were agreed, against what it pays now.")
            .RequireAuthorization(Scopes.StatementsRead);
}
