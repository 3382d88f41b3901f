namespace Apportionment.Api.Features.Reports;

public static class ReportsApi
{
    public static RouteGroupBuilder MapReports(this RouteGroupBuilder api)
    {
        var reports = api.MapGroup("/").WithTags("Apportionments and statements");
        reports.MapGetApportionment();
        reports.MapGetRechargeStatement();
        reports.MapGetSettlement();
        reports.MapGetOverheadFlows();
        reports.MapSavings();
        reports.MapGetCumulativeSavings();
        return api;
    }
}
