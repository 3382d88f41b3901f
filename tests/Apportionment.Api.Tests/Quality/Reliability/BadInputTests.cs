using System.Text;
using Microsoft.AspNetCore.Hosting;

namespace Apportionment.Api.Tests.Quality.Reliability;

/// <summary>
/// A small body limit, so the 413 path is cheap to reach, on real Kestrel: the limit is Kestrel's
/// (Limits:MaxRequestBodyBytes), which the in-memory TestServer does not enforce.
/// </summary>
public sealed class SmallBodyApiFactory : ApiFactory
{
    public const int Limit = 64 * 1024;

    public SmallBodyApiFactory() => UseKestrel(0);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting(
            "Limits:MaxRequestBodyBytes",
            Limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>Bad input is a 4xx problem+json naming the field, and writes nothing.</summary>
public sealed class BadInputTests(SmallBodyApiFactory factory) : IClassFixture<SmallBodyApiFactory>
{
    private static StringContent Raw(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task AssertRejected(
        Func<HttpClient, Task<HttpResponseMessage>> send,
        HttpStatusCode status,
        string? field)
    {
        var before = await DatabaseCounts.AllAsync(factory.ConnectionString);
        var response = await send(factory.Admin());
        var problem = await Scenario.Problem(response, status);
        if (field is not null)
        {
            var errors = problem.GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out _), $"errors do not name '{field}': {problem}");
        }

        Assert.Equal(before, await DatabaseCounts.AllAsync(factory.ConnectionString));
    }

    public static TheoryData<string, string> CostBodies() => new()
    {
        { """{"month":"2024-05","amount":12.5,"category":"staff" """, "body" },
        { """{"month":"2024-05","amount":"12.50","category":"staff"}""", "amount" },
        { """{"month":"2024-05","amount":true,"category":"staff"}""", "amount" },
        { """{"month":"2024-05","category":"staff"}""", "amount" },
        { """{"month":"2024-05","amount":12.5}""", "category" },
        { """{"amount":12.5,"category":"staff"}""", "month" },
        { """{"month":"2024-05","amount":1e400,"category":"staff"}""", "amount" },
        { """{"month":"2024-05","amount":79228162514264337593543950336,"category":"staff"}""", "amount" },
        { """{"month":"2024-05","amount":1000000000000,"category":"staff"}""", "amount" },
        { """{"month":"2024-05","amount":NaN,"category":"staff"}""", "amount" },
        { """{"month":"2024-05","amount":"NaN","category":"staff"}""", "amount" },
        { """{"month":"2024-05","amount":Infinity,"category":"staff"}""", "amount" },
        { """{"month":"2024-05","amount":-Infinity,"category":"staff"}""", "amount" },
        { """{"month":"2024-05","amount":1.005,"category":"staff"}""", "amount" },
        { """{"month":"2024-13","amount":1,"category":"staff"}""", "month" },
        { """{"month":"2024-00","amount":1,"category":"staff"}""", "month" },
        { """{"month":"24-05","amount":1,"category":"staff"}""", "month" },
        { """{"month":2024,"amount":1,"category":"staff"}""", "month" },
        { """{"month":"2024-05","amount":1,"category":"staff","paidBy":"NOPE99"}""", "paidBy" },
        { """{"month":"2024-05","amount":1,"category":"staff","paidBy":"lower"}""", "paidBy" },
        { """{"month":"2024-05","amount":1,"category":"staff","extra":1}""", "extra" },
        { """{"month":"2024-05","amount":1,"category":""}""", "category" },
        { """[]""", "body" },
        { """null""", "body" },
        { "", "body" },
    };

    [Theory]
    [MemberData(nameof(CostBodies))]
    public async Task Bad_cost_postings_are_400_naming_the_field_and_write_nothing(string body, string field)
    {
        var s = await Scenario.CreateAsync(factory);
        await AssertRejected(
            c => c.PostAsync($"/api/v1/shared-services/{s.Service}/costs", Raw(body)),
            HttpStatusCode.BadRequest,
            field);
    }

    [Fact]
    public async Task Invalid_utf8_is_400()
    {
        var s = await Scenario.CreateAsync(factory);
        var bytes = Encoding.UTF8.GetBytes("""{"month":"2024-05","amount":1,"category":"st__ff"}""");
        bytes[Array.IndexOf(bytes, (byte)'_')] = 0xC3;
        bytes[Array.IndexOf(bytes, (byte)'_')] = 0x28;
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        await AssertRejected(
            c => c.PostAsync($"/api/v1/shared-services/{s.Service}/costs", content),
            HttpStatusCode.BadRequest,
            null);
    }

    public static TheoryData<string, string> AgreementBodies() => new()
    {
        { """{"effectiveFrom":"2024-05","method":"fixed","shares":[{"council":"{H}","percent":50},"""
            + """{"council":"{H}","percent":50}]}""", "shares[1].council" },
        { """{"effectiveFrom":"2024-05","method":"fixed","shares":[{"council":"{H}","percent":50},"""
            + """{"council":"{A}","percent":49.99}]}""", "shares" },
        { """{"effectiveFrom":"2024-05","method":"fixed","shares":[{"council":"{H}","percent":50},"""
            + """{"council":"UNKNOWN1","percent":50}]}""", "shares" },
        { """{"effectiveFrom":"2024-05","method":"fixed","shares":[{"council":"{H}","percent":50.00001},"""
            + """{"council":"{A}","percent":49.99999}]}""", "shares[0].percent" },
        { """{"effectiveFrom":"2024-05","method":"equal","councils":["{H}","{H}"]}""", "councils[1]" },
        { """{"effectiveFrom":"2024-05","method":"equal","councils":["{H}","NOPE1"]}""", "councils" },
        { """{"effectiveFrom":"2024-13","method":"equal","councils":["{H}","{A}"]}""", "effectiveFrom" },
        { """{"effectiveFrom":"2024-05","method":"weird","councils":["{H}","{A}"]}""", "method" },
        {
            """{"effectiveFrom":"2024-05","method":"fixed","shares":[{"council":"{H}","percent":1e400}]}""",
            "shares[0].percent" },
    };

    [Theory]
    [MemberData(nameof(AgreementBodies))]
    public async Task Bad_agreements_are_400_naming_the_field_and_write_nothing(string body, string field)
    {
        var s = await Scenario.CreateAsync(factory);
        var json = body.Replace("{H}", s.Host, StringComparison.Ordinal)
            .Replace("{A}", s.PartnerA, StringComparison.Ordinal);
        await AssertRejected(
            c => c.PostAsync($"/api/v1/shared-services/{s.Service}/agreements", Raw(json)),
            HttpStatusCode.BadRequest,
            field);
    }

    [Fact]
    public async Task Bad_services_activity_and_councils_are_400_naming_the_field()
    {
        var s = await Scenario.CreateAsync(factory);
        await AssertRejected(c =>
            c.PostAsync("/api/v1/shared-services",
                Raw($$"""{"code":"SVCX1","name":"x","hostCouncil":"{{s.Host}}","members":["{{s.Host}}","""
                    + $$""" "{{s.Host}}"],"startMonth":"2024-04"}""")), HttpStatusCode.BadRequest, "members");
        await AssertRejected(c =>
            c.PostAsync("/api/v1/shared-services",
                Raw($$"""{"code":"SVCX1","name":"x","hostCouncil":"{{s.Host}}","members":["{{s.Host}}","NOSUCH9"],"""
                    + """ "startMonth":"2024-04"}""")), HttpStatusCode.BadRequest, "members");
        await AssertRejected(c => c.PutAsync(
            $"/api/v1/shared-services/{s.Service}/activity/2024-13",
            Raw("{\"driver\":\"cases\",\"quantities\":{\"" + s.Host + "\":1}}")), HttpStatusCode.BadRequest, "month");
        await AssertRejected(c => c.PutAsync(
            $"/api/v1/shared-services/{s.Service}/activity/2024-05",
            Raw("""{"driver":"cases","quantities":{"NOSUCH9":1}}""")), HttpStatusCode.BadRequest, "quantities");
        await AssertRejected(c => c.PutAsync(
            $"/api/v1/shared-services/{s.Service}/activity/2024-05",
            Raw("{\"driver\":\"cases\",\"quantities\":{\"" + s.Host + "\":-1}}")), HttpStatusCode.BadRequest,
            $"quantities.{s.Host}");
        await AssertRejected(
            c => c.PostAsync("/api/v1/councils", Raw("""{"code":"x","name":"y"}""")),
            HttpStatusCode.BadRequest,
            "code");
        await AssertRejected(
            c => c.PutAsync($"/api/v1/shared-services/{s.Service}/baselines/{s.Host}", Raw("""{"annualCost":1.234}""")),
            HttpStatusCode.BadRequest,
            "annualCost");
    }

    [Fact]
    public async Task Deeply_nested_and_huge_bodies_are_4xx_problem_json()
    {
        var s = await Scenario.CreateAsync(factory);
        var nested = """{"month":"2024-05","amount":1,"category":""" + new string('[', 5000) + new string(']', 5000)
            + "}";
        await AssertRejected(
            c => c.PostAsync($"/api/v1/shared-services/{s.Service}/costs", Raw(nested)),
            HttpStatusCode.BadRequest,
            null);

        var huge = """{"month":"2024-05","amount":1,"category":"staff","description":" """
            + new string('x', SmallBodyApiFactory.Limit * 2)
            + "\"}";
        await AssertRejected(
            c => c.PostAsync($"/api/v1/shared-services/{s.Service}/costs", Raw(huge)),
            HttpStatusCode.RequestEntityTooLarge,
            null);
    }
}
