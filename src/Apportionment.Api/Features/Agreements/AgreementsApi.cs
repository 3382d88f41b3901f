namespace Apportionment.Api.Features.Agreements;

public static class AgreementsApi
{
    public static RouteGroupBuilder MapAgreements(this RouteGroupBuilder api)
    {
        var agreements = api.MapGroup("/shared-services/{code}/agreements").WithTags("Split agreements");
        agreements.MapProposeAgreement();
        agreements.MapApproveAgreement();
        agreements.MapWithdrawAgreement();
        agreements.MapGetAgreements();
        agreements.MapGetProposalImpact();
        return api.MapAwaitingApprovals();
    }
}
