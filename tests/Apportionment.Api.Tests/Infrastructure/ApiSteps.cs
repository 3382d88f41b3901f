using System.Net.Http.Headers;

namespace Apportionment.Api.Tests.Infrastructure;

/// <summary>
/// Generic steps through the public HTTP API (never the database), so a test reads like what a council's finance
/// system does: register councils, set up a service, agree a split, post costs, read the figures.
/// </summary>
public static class ApiSteps
{
    /// <summary>
    /// A code unique to one test (2–16 of A–Z, 0–9, '-'), so tests sharing a class database never collide.
    /// </summary>
    public static string UniqueCode(string prefix)
        => $"{prefix}-{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}";

    /// <summary>Reads the body as JSON after checking the status; the failure message carries the body.</summary>
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(
            response.StatusCode == expected,
            $"Expected {(int)expected} {expected} but got {(int)response.StatusCode} {response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>
    /// Checks an RFC 9457 problem: status, problem+json, and (for 400s) that each named field is in errors.
    /// </summary>
    public static async Task<JsonElement> ProblemAsync(
        this HttpResponseMessage response,
        HttpStatusCode expected,
        params string[] fields)
    {
        var problem = await response.JsonAsync(expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        if (fields.Length > 0)
        {
            Assert.True(problem.TryGetProperty("errors", out var errors), $"No errors map in {problem}");
            foreach (var field in fields)
            {
                Assert.True(errors.TryGetProperty(field, out _), $"errors does not name '{field}': {errors}");
            }
        }

        return problem;
    }

    public static async Task<JsonElement> GetJsonAsync(
        this HttpClient client,
        string url,
        HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await client.GetAsync(url)).JsonAsync(expected);

    public static async Task<JsonElement> PostJsonAsync(
        this HttpClient client,
        string url,
        object body,
        HttpStatusCode expected = HttpStatusCode.Created) =>
        await (await client.PostAsJsonAsync(url, body)).JsonAsync(expected);

    public static decimal Money(this JsonElement element, string property)
        => element.GetProperty(property).GetDecimal();

    public static string Text(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    public static IReadOnlyList<JsonElement> Items(this JsonElement page)
        => page.GetProperty("items").EnumerateArray().ToList();

    /// <summary>Registers councils; one already registered (e.g. by another test in the class) is fine.</summary>
    public static async Task EnsureCouncilsAsync(this HttpClient admin, params string[] codes)
    {
        foreach (var code in codes)
        {
            var response = await admin.PostAsJsonAsync("/api/v1/councils", new { code, name = $"{code} Council" });
            Assert.True(
                response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict,
                $"Creating council {code}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Fresh councils with codes unique to the calling test.</summary>
    public static async Task<string[]> NewCouncilsAsync(this HttpClient admin, params string[] prefixes)
    {
        var codes = prefixes.Select(UniqueCode).ToArray();
        await admin.EnsureCouncilsAsync(codes);
        return codes;
    }

    public static async Task<JsonElement> CreateServiceAsync(
        this HttpClient admin, string code, string host, IReadOnlyList<string> members, string startMonth = "2024-04",
        string? endMonth = null, string? name = null) =>
        await admin.PostJsonAsync("/api/v1/shared-services", new
        {
            code,
            name = name ?? $"{code} shared "
            + "service",
            hostCouncil = host,
            members,
            startMonth,
            endMonth,
            description = (string?)null
        });

    public static object FixedSplit(string effectiveFrom, params (string Council, decimal Percent)[] shares) =>
        new
        {
            effectiveFrom,
            method = "fixed",
            shares = shares.Select(
            s => new { council = s.Council, percent = s.Percent }).ToArray()
        };

    public static object EqualSplit(string effectiveFrom, params string[] councils)
        => new { effectiveFrom, method = "equal", councils };

    public static object DriverSplit(string effectiveFrom, string driver, params string[] councils)
        => new { effectiveFrom, method = "driver", councils, driver };

    public static async Task<JsonElement> ProposeAsync(this HttpClient client, string service, object proposal) =>
        await client.PostJsonAsync($"/api/v1/shared-services/{service}/agreements", proposal);

    public static async Task<HttpResponseMessage> ApproveAsync(
        this HttpClient client,
        string service,
        JsonElement agreement,
        string council) =>
        await client.PostAsJsonAsync(
            $"/api/v1/shared-services/{service}/agreements/{agreement.Text("id")}/approvals",
            new { council });

    /// <summary>
    /// Proposes the split and approves it for every council that must (an admin may approve for any): it is then in
    /// force.
    /// </summary>
    public static async Task<JsonElement> AgreeAsync(this HttpClient admin, string service, object proposal)
    {
        var agreement = await admin.ProposeAsync(service, proposal);
        foreach (var council in agreement.GetProperty("awaitingApproval").EnumerateArray().Select(c => c.GetString()!)
            .ToList())
        {
            agreement = await (await admin.ApproveAsync(service, agreement, council)).JsonAsync(HttpStatusCode.OK);
        }

        Assert.Equal("agreed", agreement.Text("status"));
        return agreement;
    }

    /// <summary>
    /// A service with the given members (the first is host) and an agreed fixed split from its start month.
    /// </summary>
    public static async Task<string> ServiceWithFixedSplitAsync(
        this HttpClient admin,
        string prefix,
        string startMonth,
        params (string Council, decimal Percent)[] shares)
    {
        var code = UniqueCode(prefix);
        var members = shares.Select(s => s.Council).ToArray();
        await admin.EnsureCouncilsAsync(members);
        await admin.CreateServiceAsync(code, members[0], members, startMonth);
        await admin.AgreeAsync(code, FixedSplit(startMonth, shares));
        return code;
    }

    public static async Task<HttpResponseMessage> PostCostRawAsync(
        this HttpClient client, string service, string month, decimal amount, string? paidBy = null,
        string category = "staff", string? idempotencyKey = null, string? reference = null, string? description = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/shared-services/{service}/costs")
        {
            Content = JsonContent.Create(new { month, amount, category, paidBy, reference, description }),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> PostCostAsync(
        this HttpClient client,
        string service,
        string month,
        decimal amount,
        string? paidBy = null,
        string category = "staff") =>
        await (await client.PostCostRawAsync(service, month, amount, paidBy, category)).JsonAsync(
            HttpStatusCode.Created);

    public static async Task<JsonElement> PutActivityAsync(
        this HttpClient client,
        string service,
        string month,
        string driver,
        IReadOnlyDictionary<string, decimal> quantities) =>
        await (await client.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/activity/{month}",
            new { driver, quantities })).JsonAsync(HttpStatusCode.OK);

    /// <summary>
    /// Closes the service's open months in order, from the earliest through this one, as its host does month by month.
    /// </summary>
    public static async Task CloseThroughAsync(this HttpClient client, string service, string month)
    {
        var periods = await client.GetJsonAsync($"/api/v1/shared-services/{service}/periods?limit=500");
        foreach (var open in periods.Items().Where(p => !p.GetProperty("closed").GetBoolean())
            .Select(p => p.Text("month"))
            .Where(m => string.CompareOrdinal(m, month) <= 0))
        {
            await (await client.PostAsync($"/api/v1/shared-services/{service}/periods/{open}/close", null)).JsonAsync(
                HttpStatusCode.OK);
        }
    }

    public static async Task<JsonElement> ApportionmentAsync(this HttpClient client, string service, string period) =>
        await client.GetJsonAsync($"/api/v1/shared-services/{service}/apportionments/{period}");

    public static async Task<JsonElement> StatementAsync(this HttpClient client, string council, string period) =>
        await client.GetJsonAsync($"/api/v1/councils/{council}/recharge-statements/{period}");

    public static async Task<JsonElement> SettlementAsync(
        this HttpClient client,
        string service,
        string period,
        string model = "host") =>
        await client.GetJsonAsync($"/api/v1/shared-services/{service}/settlements/{period}?model={model}");

    /// <summary>Each council's amount in an apportionment, keyed by council code.</summary>
    public static Dictionary<string, decimal> Allocations(this JsonElement apportionment) =>
        apportionment.GetProperty("allocations").EnumerateArray()
            .ToDictionary(a => a.Text("council"), a => a.Money("amount"), StringComparer.Ordinal);

    /// <summary>The statement's line for one service; fails if there is none.</summary>
    public static JsonElement LineFor(this JsonElement statement, string service) =>
        Assert.Single(statement.GetProperty("lines").EnumerateArray(), l => l.Text("service") == service);

    public static (string From, string To, decimal Amount)[] Transfers(this JsonElement settlement) =>
        settlement.GetProperty("transfers").EnumerateArray()
            .Select(t => (t.Text("from"), t.Text("to"), t.Money("amount")))
            .ToArray();

    public static HttpRequestMessage AcceptCsv(string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        return request;
    }
}
