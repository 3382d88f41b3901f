namespace Apportionment.Api.Features.Costs;

public static class CostsApi
{
    public static RouteGroupBuilder MapCosts(this RouteGroupBuilder api)
    {
        var costs = api.MapGroup("/").WithTags("Costs");
        costs.MapPostCost();
        costs.MapReverseCost();
        costs.MapGetCosts();
        costs.MapPostCostBatch();
        return api;
    }
}
