using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Features.Partnerships;

/// <summary>
/// One of the council's partnerships. governance is null until the host records it. reviewDue: the next review is
/// within <see cref="PartnershipWindow.Months"/> months of today (or overdue); agreementEnding: the agreement ends
/// within that window; noticeDue: the last day to give notice falls within it.
/// </summary>
public sealed record PartnershipDto(
    string Service, string Name, string HostCouncil, bool IsHost, GovernanceDto? Governance, bool ReviewDue,
    bool AgreementEnding, bool NoticeDue);

public sealed record CouncilPartnershipsDto(string Council, DateOnly AsOf, IReadOnlyList<PartnershipDto> Partnerships);

public sealed record GetCouncilPartnerships(string Council) : IQuery<CouncilPartnershipsDto>;

/// <summary>
/// How far ahead the register looks for reviews and agreement ends: six months, as committees plan their work.
/// </summary>
public static class PartnershipWindow
{
    public const int Months = 6;

    public static bool Within(DateOnly? date, DateOnly today) => date is { } d && d <= today.AddMonths(Months);

    public static bool Ahead(DateOnly? date, DateOnly today)
        => date is { } d && d >= today && d <= today.AddMonths(Months);
}

public sealed class GetCouncilPartnershipsHandler(ApportionmentDb db, Caller caller, TimeProvider clock)
    : IQueryHandler<GetCouncilPartnerships, CouncilPartnershipsDto>
{
    public async ValueTask<CouncilPartnershipsDto> Handle(
        GetCouncilPartnerships query,
        CancellationToken cancellationToken)
    {
        caller.EnsureActsFor(query.Council, "read partnerships");
        var codes = await db.ServicesOfCouncilAsync(query.Council, cancellationToken);
        var services = await db.SharedServices.AsNoTracking().Include(s => s.Members).Where(s => codes.Contains(s.Code))
            .OrderBy(s => s.Code).ToListAsync(cancellationToken);
        var governance = await db.Governance.AsNoTracking().Where(g => codes.Contains(g.ServiceCode))
            .ToDictionaryAsync(g => g.ServiceCode, StringComparer.Ordinal, cancellationToken);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var list = services.Select(s =>
        {
            var g = governance.GetValueOrDefault(s.Code);
            var dto = g is null ? null : GovernanceDto.From(s, g);
            return new PartnershipDto(s.Code, s.Name, s.HostCouncil, s.HostCouncil == query.Council, dto,
                PartnershipWindow.Within(g?.NextReview, today), PartnershipWindow.Ahead(g?.AgreementEnd, today),
                PartnershipWindow.Ahead(dto?.NoticeBy, today));
        }).ToList();
        return new CouncilPartnershipsDto(query.Council, today, list);
    }
}
