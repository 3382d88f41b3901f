namespace Apportionment.Api.Features.Budgets;

public static class BudgetsApi
{
    public static RouteGroupBuilder MapBudgets(this RouteGroupBuilder api)
    {
        var budgets = api.MapGroup("/shared-services/{code}/budgets").WithTags("Budgets");
        budgets.MapGetBudgets();
        budgets.MapPutBudget();

        var service = api.MapGroup("/shared-services/{code}").WithTags("Budgets");
        service.MapReductionTarget();
        service.MapGetBudgetMonitoring();
        service.MapGetUnitCosts();

        api.MapGroup("/").WithTags("Budgets").MapGetCouncilBudgetMonitoring();
        return api;
    }
}
