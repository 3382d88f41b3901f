namespace Apportionment.Api.Tests.Budgets;

/// <summary>What a host's finance system does with budgets, through the public API.</summary>
public static class BudgetSteps
{
    public static Task<HttpResponseMessage> PutBudgetRawAsync(
        this HttpClient client,
        string service,
        string year,
        decimal budget,
        object profile) =>
        client.PutAsJsonAsync($"/api/v1/shared-services/{service}/budgets/{year}", new { budget, profile });

    public static async Task<JsonElement> PutBudgetAsync(
        this HttpClient client,
        string service,
        string year,
        decimal budget,
        object profile) =>
        await (await client.PutBudgetRawAsync(service, year, budget, profile)).JsonAsync(HttpStatusCode.OK);

    public static Task<JsonElement> MonitoringAsync(
        this HttpClient client,
        string service,
        string year,
        string? asOf = null) =>
        client.GetJsonAsync(
            $"/api/v1/shared-services/{service}/budget-monitoring/{year}" + (asOf is null ? "" : $"?asOf={asOf}"));

    /// <summary>Each council's entry in a monitoring or impact answer, keyed by council code.</summary>
    public static Dictionary<string, JsonElement> ByCouncil(this JsonElement answer) =>
        answer.GetProperty("councils").EnumerateArray()
            .ToDictionary(c => c.Text("council"), c => c, StringComparer.Ordinal);

    public static decimal[] MonthAmounts(this JsonElement budget) =>
        budget.GetProperty("months").EnumerateArray().Select(m => m.Money("amount")).ToArray();

    public static async Task<JsonElement> SetTargetAsync(
        this HttpClient client,
        string service,
        decimal reductionPercent,
        string baseYear) =>
        await (await client.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/reduction-target",
            new { reductionPercent, baseYear })).JsonAsync(HttpStatusCode.OK);
}
