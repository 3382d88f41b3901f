namespace Apportionment.Api.Tests.Quality.Reliability;

/// <summary>
/// A shared service with a host and two partners, set up through the API as a real client would. Codes are random so
/// tests in one class (one database) never see each other's rows.
/// </summary>
public sealed class Scenario
{
    private Scenario(ApiFactory factory, string service, string host, string partnerA, string partnerB)
    {
        Factory = factory;
        Service = service;
        Host = host;
        PartnerA = partnerA;
        PartnerB = partnerB;
    }

    public ApiFactory Factory { get; }
    public string Service { get; }
    public string Host { get; }
    public string PartnerA { get; }
    public string PartnerB { get; }
    public IReadOnlyList<string> Councils => [Host, PartnerA, PartnerB];
    public const string StartMonth = "2024-04";

    public static string NewCode(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    public static async Task<Scenario> CreateAsync(ApiFactory factory)
    {
        var admin = factory.Admin();
        var host = NewCode("H");
        var a = NewCode("A");
        var b = NewCode("B");
        foreach (var c in new[] { host, a, b })
        {
            await Ok(admin.PostAsJsonAsync("/api/v1/councils", new { code = c, name = $"Council {c}" }));
        }

        var service = NewCode("S");
        await Ok(admin.PostAsJsonAsync("/api/v1/shared-services", new
        {
            code = service,
            name = $"Service {service}",
            hostCouncil = host,
            members = new[] { host, a, b },
            startMonth = StartMonth,
        }));
        return new Scenario(factory, service, host, a, b);
    }

    /// <summary>An agreed fixed split 50/30/20 from the start month.</summary>
    public async Task<Guid> AgreeFixedSplitAsync(string from = StartMonth)
    {
        var admin = Factory.Admin();
        var proposed = await Json(admin.PostAsJsonAsync($"/api/v1/shared-services/{Service}/agreements", new
        {
            effectiveFrom = from,
            method = "fixed",
            shares = new[] {
                new { council = Host, percent = 50m },
                new { council = PartnerA, percent = 30m },
                new { council = PartnerB, percent = 20m } },
        }));
        var id = proposed.GetProperty("id").GetGuid();
        foreach (var c in Councils)
        {
            await Ok(admin.PostAsJsonAsync(
                $"/api/v1/shared-services/{Service}/agreements/{id}/approvals",
                new { council = c }));
        }

        return id;
    }

    public async Task<Guid> ProposeEqualAsync(string from)
    {
        var proposed = await Json(Factory.Admin().PostAsJsonAsync($"/api/v1/shared-services/{Service}/agreements", new
        {
            effectiveFrom = from,
            method = "equal",
            councils = Councils,
        }));
        return proposed.GetProperty("id").GetGuid();
    }

    public async Task<JsonElement> PostCostAsync(string month, decimal amount, HttpClient? client = null)
    {
        var response = await (client ?? Factory.Admin()).PostAsJsonAsync($"/api/v1/shared-services/{Service}/costs",
            new { month, amount, category = "staff", reference = "INV-" + Guid.NewGuid().ToString("N")[..6] });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public Task<HttpResponseMessage> CloseAsync(string month, HttpClient? client = null) =>
        (client ?? Factory.Admin()).PostAsync($"/api/v1/shared-services/{Service}/periods/{month}/close", null);

    public static async Task<HttpResponseMessage> Ok(Task<HttpResponseMessage> call)
    {
        var response = await call;
        if (!response.IsSuccessStatusCode)
        {
            Assert.Fail($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return response;
    }

    public static async Task<JsonElement> Json(Task<HttpResponseMessage> call) =>
        await (await Ok(call)).Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Asserts an RFC 9457 problem with the given status, returning its body.</summary>
    public static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        return body;
    }
}
