namespace Apportionment.Api.Features.Agreements;

/// <summary>
/// A proposal waiting for the council, with the name of its service (which it may not otherwise see).
/// </summary>
public sealed record AwaitingApprovalDto(string Service, string ServiceName, AgreementDto Agreement);

/// <summary>
/// Every proposed agreement still waiting for this council's approval, oldest first: splits of its own services and
/// support agreements that would recharge a service it belongs to. What the dashboard's approvals page lists.
/// </summary>
public sealed record GetAwaitingApprovals(string Council) : IQuery<IReadOnlyList<AwaitingApprovalDto>>;

public sealed class GetAwaitingApprovalsHandler(
    ApportionmentDb db,
    Caller caller) : IQueryHandler<GetAwaitingApprovals, IReadOnlyList<AwaitingApprovalDto>>
{
    private const int Most = 500;

    public async ValueTask<IReadOnlyList<AwaitingApprovalDto>> Handle(
        GetAwaitingApprovals query,
        CancellationToken cancellationToken)
    {
        caller.EnsureActsFor(query.Council, "read approvals");
        var council = query.Council;
        var waiting = await db.SplitAgreements.AsNoTracking().Include(a => a.Approvals)
            .Where(a => a.Status == AgreementStatus.Proposed
                        && (a.ApprovingCouncils != null
                            ? a.ApprovingCouncils.Contains(council)
                            : a.Councils.Contains(council))
                        && a.Approvals.All(x => x.Council != council))
            .OrderBy(a => a.ProposedAt).Take(Most)
            .Join(db.SharedServices, a => a.ServiceCode, s => s.Code, (a, s) => new { Agreement = a, s.Name })
            .ToListAsync(cancellationToken);
        return waiting.Select(
            w => new AwaitingApprovalDto(w.Agreement.ServiceCode, w.Name, AgreementDto.From(w.Agreement))).ToList();
    }
}

public static class GetAwaitingApprovalsEndpoint
{
    public static RouteGroupBuilder MapAwaitingApprovals(this RouteGroupBuilder api)
    {
        api.MapGet("/councils/{code}/awaiting-approval",
            async (string code, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetAwaitingApprovals(code), ct)))
            .WithTags("Split agreements")
            .WithName(
                "GetAwaitingApprovals").WithSummary("Proposed agreements waiting for the council's approval, including "
                    + "support agreements into its services.")
            .RequireAuthorization(Scopes.StatementsRead);
        return api;
    }
}
