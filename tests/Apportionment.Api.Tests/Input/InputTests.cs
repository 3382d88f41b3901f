using System.Text;
using Apportionment.Api.Tests.Quality.Reliability;

namespace Apportionment.Api.Tests.Input;

/// <summary>
/// Input that could end in a 500 or silently change: control characters, null elements, duplicate keys, flag-style
/// enums, over-long Idempotency-Keys, bytes that are not UTF-8. Each is a 400 naming the field, and writes nothing.
/// </summary>
public sealed class InputTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task AssertRejected(HttpRequestMessage request, string field, string? message = null)
    {
        var before = await DatabaseCounts.AllAsync(factory.ConnectionString);
        var response = await factory.Admin().SendAsync(request);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.Equal("https://apportionment.example/problems/validation", problem.Text("type"));
        if (message is not null)
        {
            Assert.Contains(
                message,
                problem.GetProperty("errors").GetProperty(field)[0].GetString(),
                StringComparison.Ordinal);
        }

        Assert.Equal(before, await DatabaseCounts.AllAsync(factory.ConnectionString));
    }

    /// <summary>(method, url, JSON body, field) with {S} the service, {H} its host, {A} a partner.</summary>
    public static TheoryData<string, string, string, string> Bodies() => new()
    {
        { "POST", "/api/v1/councils", """{"code":"NUL1","name":"Nul\u0000 Council"}""", "name" },
        { "POST", "/api/v1/councils", """{"code":"NUL1","name":"Bell\u0007 Council"}""", "name" },
        { "POST", "/api/v1/councils", """{"code":"NUL1","name":"Tab\t Council"}""", "name" },
        { "POST", "/api/v1/councils", """{"code":"NUL1","name":"Half \ud800 Council"}""", "name" },
        { "POST", "/api/v1/councils", """{"code":"NUL1","name":"Council \u202Egnp.exe"}""", "name" },
        { "POST", "/api/v1/councils", """{"code":"NUL1","name":"Council \u2067isolate\u2069"}""", "name" },
        { "POST", "/api/v1/councils", """{"code":"N\u0000L1","name":"x"}""", "code" },
        {
            "POST",
            "/api/v1/shared-services",
            """{"code":"NULS1","name":"x\u0000","hostCouncil":"{H}","members":["{H}","{A}"],"startMonth":"2024-04"}""",
            "name" },
        { "POST", "/api/v1/shared-services",
            """{"code":"NULS1","name":"x","hostCouncil":"{H}","members":["{H}","{A}"],"startMonth":"2024-04","""
                + """ "description":"a\u0000b"}""", "description" },
        {
            "POST",
            "/api/v1/shared-services",
            """{"code":"NULS1","name":"x","hostCouncil":"{H}","members":["{H}",null],"startMonth":"2024-04"}""",
            "members[1]" },
        { "PATCH", "/api/v1/shared-services/{S}", """{"name":"Renamed\u0000"}""", "name" },
        { "PATCH", "/api/v1/shared-services/{S}", """{"name":"Renamed \u202D"}""", "name" },
        {
            "POST",
            "/api/v1/shared-services/{S}/agreements",
            """{"effectiveFrom":"2024-05","method":"driver","driver":"hours\u0000","councils":["{H}","{A}"]}""",
            "driver" },
        {
            "POST",
            "/api/v1/shared-services/{S}/agreements",
            """{"effectiveFrom":"2024-05","method":"fixed","shares":[null]}""",
            "shares[0]" },
        {
            "POST",
            "/api/v1/shared-services/{S}/agreements",
            """{"effectiveFrom":"2024-05","method":"equal","councils":["{H}",null]}""",
            "councils[1]" },
        {
            "POST",
            "/api/v1/shared-services/{S}/agreements",
            """{"effectiveFrom":"2024-05","method":"fixed, equal","councils":["{H}","{A}"]}""",
            "method" },
        {
            "POST",
            "/api/v1/shared-services/{S}/agreements",
            """{"effectiveFrom":"2024-05","method":"1","councils":["{H}","{A}"]}""",
            "method" },
        {
            "POST",
            "/api/v1/shared-services/{S}/agreements",
            """{"effectiveFrom":"2024-05","method":"equal","method":"fixed","councils":["{H}","{A}"]}""",
            "method" },
        {
            "PUT",
            "/api/v1/shared-services/{S}/activity/2024-05",
            """{"driver":"hours\u0000","quantities":{"{H}":1}}""",
            "driver" },
        {
            "PUT",
            "/api/v1/shared-services/{S}/activity/2024-05",
            """{"driver":"hours","quantities":{"{H}\u0000":1}}""",
            "quantities" },
        {
            "POST",
            "/api/v1/shared-services/{S}/costs",
            """{"month":"2024-05","amount":1,"category":"staff\u0000"}""",
            "category" },
        {
            "POST",
            "/api/v1/shared-services/{S}/costs",
            """{"month":"2024-05","amount":1,"category":"staff\r\nsalaries"}""",
            "category" },
        {
            "POST",
            "/api/v1/shared-services/{S}/costs",
            """{"month":"2024-05","amount":1,"category":"staff","reference":"\u001B[31mREF"}""",
            "reference" },
        {
            "POST",
            "/api/v1/shared-services/{S}/costs",
            """{"month":"2024-05","amount":1,"category":"staff","description":"\u0000"}""",
            "description" },
        {
            "POST",
            "/api/v1/shared-services/{S}/costs",
            """{"month":"2024-05","amount":1,"amount":1000,"category":"staff"}""",
            "amount" },
        {
            "POST",
            "/api/v1/shared-services/{S}/costs",
            """{"month":"2024-05","amount":1e-400,"category":"staff"}""",
            "amount" },
        {
            "POST",
            "/api/v1/shared-services/{S}/costs",
            """{"month":"2024-05","amount":0.0000000000000000000000000000001,"category":"staff"}""",
            "amount" },
        {
            "POST",
            "/api/v1/shared-services/{S}/costs",
            """{"month":"2024-05","amount":1.000000000000000000000000000001,"category":"staff"}""",
            "amount" },
        { "PUT", "/api/v1/shared-services/{S}/baselines/{H}", """{"annualCost":100,"note":"n\u0000"}""", "note" },
        { "PUT", "/api/v1/shared-services/{S}/baselines/{H}", """{"annualCost":1e-400}""", "annualCost" },
        { "POST", "/api/v1/api-keys", """{"name":"key\u0000","council":"{H}","scopes":["statements:read"]}""", "name" },
        { "POST", "/api/v1/api-keys", """{"name":"key","council":"{H}","scopes":[null]}""", "scopes[0]" },
        { "POST", "/api/v1/cost-batches", """[null]""", "lines[1]" },
        { "POST", "/api/v1/cost-batches",
            """[{"service":"{S}","month":"2024-05","amount":1,"category":"staff"},"""
                + """{"service":"{S}","month":"2024-05","amount":1,"category":"st\u0000ff"}]""", "lines[2].category" },
        {
            "POST",
            "/api/v1/cost-batches",
            """[{"service":"{S}","month":"2024-05","amount":1,"amount":2,"category":"staff"}]""",
            "lines[1].amount" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Bad_text_nulls_duplicates_and_inexact_numbers_are_400_naming_the_field(
        string method,
        string url,
        string body,
        string field)
    {
        var s = await Scenario.CreateAsync(factory);
        string Fill(
            string t) => t.Replace("{S}", s.Service, StringComparison.Ordinal)
            .Replace("{H}", s.Host, StringComparison.Ordinal).Replace("{A}", s.PartnerA, StringComparison.Ordinal);

        await AssertRejected(
            new HttpRequestMessage(new HttpMethod(method), Fill(url)) { Content = Json(Fill(body)) },
            field);
    }

    [Theory]
    [InlineData("/api/v1/councils/AB%01CD", "code")]
    [InlineData("/api/v1/councils/%E2%80%AEAB", "code")]
    [InlineData("/api/v1/shared-services?council=AB%00", "council")]
    [InlineData("/api/v1/audit?entity=%00", "entity")]
    public async Task A_control_character_in_a_path_or_query_is_400_naming_the_parameter(string url, string parameter)
    {
        var response = await factory.Admin().GetAsync(url);

        await response.ProblemAsync(HttpStatusCode.BadRequest, parameter);
    }

    [Fact]
    public async Task A_reversal_reason_with_nul_is_400()
    {
        var s = await Scenario.CreateAsync(factory);
        var posting = await factory.Admin().PostJsonAsync(
            $"/api/v1/shared-services/{s.Service}/costs",
            new { month = "2024-05", amount = 10m, category = "staff" });

        await AssertRejected(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/costs/{posting.Text("id")}/reversal")
        {
            Content = Json("""{"reason":"typo\u0000"}""")
        }, "reason");
    }

    [Fact]
    public async Task An_idempotency_key_over_200_characters_is_400_naming_the_header()
    {
        var s = await Scenario.CreateAsync(factory);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/shared-services/{s.Service}/costs")
        {
            Content = Json("""{"month":"2024-05","amount":1,"category":"staff"}""")
        };
        request.Headers.Add("Idempotency-Key", new string('k', 201));

        await AssertRejected(request, "Idempotency-Key", "at most 200");
    }

    [Fact]
    public async Task A_csv_batch_that_is_not_utf8_is_400_naming_the_line()
    {
        var s = await Scenario.CreateAsync(factory);
        var csv = Encoding.UTF8.GetBytes(
            $"service,month,amount,category,paidBy,reference,description\n{s.Service},2024-05,1.00,staff,,,"
                + $"ok\n{s.Service},2024-05,2.00,staff,,,#\n");
        csv[Array.LastIndexOf(csv, (byte)'#')] = 0xA3; // a Windows-1252 pound sign
        var content = new ByteArrayContent(csv);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");

        await AssertRejected(
            new HttpRequestMessage(HttpMethod.Post, "/api/v1/cost-batches") { Content = content },
            "lines[2]",
            "UTF-8");
    }

    [Theory]
    [InlineData("0.0000000000000000000000000000001", "lines[1].amount")]
    [InlineData("12.50", "lines[1].category")]
    public async Task A_csv_batch_with_an_inexact_amount_or_a_control_character_is_400(string amount, string field)
    {
        var s = await Scenario.CreateAsync(factory);
        var category = field.EndsWith("category", StringComparison.Ordinal) ? "sta\u0001ff" : "staff";
        var csv = $"service,month,amount,category,paidBy,reference,description\n{s.Service},"
            + $"2024-05,{amount},{category},,,\n";

        await AssertRejected(new HttpRequestMessage(HttpMethod.Post, "/api/v1/cost-batches")
        {
            Content = new StringContent(csv, Encoding.UTF8, "text/csv")
        }, field);
    }

    [Fact]
    public async Task Names_in_other_scripts_and_free_text_with_line_breaks_are_still_accepted()
    {
        var code = ApiSteps.UniqueCode("CY");
        var council = await factory.Admin()
            .PostJsonAsync("/api/v1/councils", new { code, name = "Cyngor Sir Ynys Môn — مجلس" });
        Assert.Equal("Cyngor Sir Ynys Môn — مجلس", council.Text("name"));

        var s = await Scenario.CreateAsync(factory);
        var posting = await factory.Admin().PostJsonAsync(
            $"/api/v1/shared-services/{s.Service}/costs",
            new { month = "2024-05", amount = 1m, category = "staff", description = "Line one\r\nLine two\tend" });
        Assert.Equal("Line one\r\nLine two\tend", posting.Text("description"));
    }
}
