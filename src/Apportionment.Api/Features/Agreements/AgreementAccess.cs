namespace Apportionment.Api.Features.Agreements;

/// <summary>
/// Who may read and act on one agreement: the members of its service, and the councils that must approve it. A support
/// agreement into a service is borne by that service's members, so they see the proposal (and only it) even though the
/// support service itself stays invisible to them. Anyone else gets the 404 an unknown service gets.
/// </summary>
public static class AgreementAccess
{
    public static async Task<SharedService> ServiceOfAgreementAsync(
        this ApportionmentDb db,
        Caller caller,
        string code,
        Guid id,
        CancellationToken ct)
    {
        var service = await db.SharedServices.AsNoTracking().Include(s => s.Members)
            .SingleOrDefaultAsync(s => s.Code == code, ct);
        if (service is not null && caller.CanSee(service.Members.Select(m => m.Council)))
        {
            return service;
        }

        var council = caller.Council;
        var approver = service is not null && council is not null && await db.SplitAgreements
            .AnyAsync(a => a.Id == id && a.ServiceCode == code && a.ApprovingCouncils != null
                && a.ApprovingCouncils.Contains(council), ct);
        return approver ? service! : throw new NotFoundException("Shared service", code);
    }
}
