namespace Apportionment.Api.Tests.Billing;

/// <summary>What a host's finance system does to bill its partners, through the public API.</summary>
public static class BillingSteps
{
    public static async Task<JsonElement> PutTermsAsync(
        this HttpClient client,
        string service,
        object terms,
        HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await client.PutAsJsonAsync($"/api/v1/shared-services/{service}/billing", terms)).JsonAsync(expected);

    public static object Terms(
        string legalBasis = "s101-joint-committee",
        string? vatTreatment = null,
        string schedule = "quarterly",
        string basis = "budget",
        object? estimate = null,
        decimal? tolerancePercent = null,
        string mode = "invoice") =>
        new { legalBasis, vatTreatment, mode, schedule, basis, estimate, paymentTermsDays = 30, tolerancePercent };

    public static Task<HttpResponseMessage> IssueRawAsync(this HttpClient client, string service, string period) =>
        client.PostAsJsonAsync($"/api/v1/shared-services/{service}/invoices", new { period });

    public static async Task<IReadOnlyList<JsonElement>> IssueAsync(
        this HttpClient client,
        string service,
        string period,
        HttpStatusCode expected = HttpStatusCode.Created) =>
        (await (await client.IssueRawAsync(service, period)).JsonAsync(expected)).GetProperty("invoices")
            .EnumerateArray()
            .ToList();

    public static Task<HttpResponseMessage> PayRawAsync(
        this HttpClient client,
        string service,
        string number,
        decimal amount,
        string reference,
        string paidOn = "2026-01-15") =>
        client.PostAsJsonAsync(
            $"/api/v1/shared-services/{service}/invoices/{number}/payments",
            new { amount, paidOn, reference });

    public static async Task<JsonElement> PayAsync(
        this HttpClient client,
        string service,
        string number,
        decimal amount,
        string reference) =>
        await (await client.PayRawAsync(service, number, amount, reference)).JsonAsync(HttpStatusCode.OK);

    public static Task<JsonElement> YearEndAsync(this HttpClient client, string service, string year) =>
        client.GetJsonAsync($"/api/v1/shared-services/{service}/year-end/{year}");

    public static Dictionary<string, JsonElement> Councils(this JsonElement yearEnd) =>
        yearEnd.GetProperty("councils").EnumerateArray()
            .ToDictionary(c => c.Text("council"), c => c, StringComparer.Ordinal);

    /// <summary>
    /// A service from April 2025 with a fixed split (first council hosts), a flat budget for 2025-26 and billing terms.
    /// </summary>
    public static async Task<(string Service, string[] Councils)> BilledServiceAsync(
        this HttpClient admin, decimal budget, object terms, params (string Prefix, decimal Percent)[] split)
    {
        var councils = await admin.NewCouncilsAsync(split.Select(s => s.Prefix).ToArray());
        var service = await admin.ServiceWithFixedSplitAsync(
            "BILL",
            "2025-04",
            councils.Zip(split, (c, s) => (c, s.Percent)).ToArray());
        await (await admin.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/budgets/2025-26",
            new { budget, profile = "flat" })).JsonAsync(HttpStatusCode.OK);
        await admin.PutTermsAsync(service, terms);
        return (service, councils);
    }
}
