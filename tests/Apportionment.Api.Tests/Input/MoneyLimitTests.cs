using System.Text;
using System.Text.RegularExpressions;
using Apportionment.Api.Tests.Quality.Reliability;

namespace Apportionment.Api.Tests.Input;

/// <summary>
/// The largest posting the API accepts, twice over, still adds up and reports; and every money figure is written with
/// exactly two places and every percentage with four, however the client wrote them.
/// </summary>
public sealed partial class MoneyLimitTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const decimal Largest = 999_999_999_999.99m;

    [Fact]
    public async Task Two_postings_of_the_largest_amount_to_one_month_and_payer_are_stored_and_reported()
    {
        var s = await Scenario.CreateAsync(factory);
        await s.AgreeFixedSplitAsync();
        var admin = factory.Admin();
        var lines = new[] {
            new { service = s.Service, month = "2024-05", amount = Largest, category = "staff" },
            new { service = s.Service, month = "2024-05", amount = Largest, category = "staff" } };
        await admin.PostJsonAsync("/api/v1/cost-batches", lines);
        await admin.PostJsonAsync(
            $"/api/v1/shared-services/{s.Service}/costs",
            new { month = "2024-05", amount = Largest, category = "staff" });

        var apportionment = await admin.GetJsonAsync($"/api/v1/shared-services/{s.Service}/apportionments/2024-05");
        Assert.Equal(3 * Largest, apportionment.Money("netCost"));
        Assert.Equal(
            3 * Largest,
            apportionment.GetProperty("allocations").EnumerateArray().Sum(a => a.Money("amount")));
        var statement = await admin.GetJsonAsync($"/api/v1/councils/{s.Host}/recharge-statements/2024-25");
        Assert.Equal(3 * Largest, statement.GetProperty("totals").Money("paidDirectly"));
    }

    [Fact]
    public async Task Amounts_and_percentages_are_written_with_two_and_four_places_however_they_were_sent()
    {
        var s = await Scenario.CreateAsync(factory);
        var admin = factory.Admin();
        var agreement = await Send(admin, HttpMethod.Post, $"/api/v1/shared-services/{s.Service}/agreements",
            $$"""
            {"effectiveFrom":"2024-04","method":"fixed","shares":[{"council":"{{s.Host}}","percent":1.10000},
             {"council":"{{s.PartnerA}}","percent":48.9},{"council":"{{s.PartnerB}}","percent":50}]}
            """);
        Assert.Contains("\"percent\":1.1000", agreement, StringComparison.Ordinal);
        Assert.Contains("\"percent\":48.9000", agreement, StringComparison.Ordinal);
        Assert.Contains("\"percent\":50.0000", agreement, StringComparison.Ordinal);

        var posting = await Send(
            admin,
            HttpMethod.Post,
            $"/api/v1/shared-services/{s.Service}/costs",
            """{"month":"2024-05","amount":1000.000000,"category":"staff"}""");
        Assert.Contains("\"amount\":1000.00,", posting, StringComparison.Ordinal);
        var baseline = await Send(
            admin,
            HttpMethod.Put,
            $"/api/v1/shared-services/{s.Service}/baselines/{s.Host}",
            """{"annualCost":5E+2}""",
            HttpStatusCode.OK);
        Assert.Contains("\"annualCost\":500.00,", baseline, StringComparison.Ordinal);

        foreach (var council in s.Councils)
        {
            var id = ApiSteps.Text(System.Text.Json.JsonDocument.Parse(agreement).RootElement, "id");
            await admin.PostJsonAsync(
                $"/api/v1/shared-services/{s.Service}/agreements/{id}/approvals", new { council }, HttpStatusCode.OK);
        }

        var report = await (await admin.GetAsync($"/api/v1/shared-services/{s.Service}/apportionments/2024-05")).Content
            .ReadAsStringAsync();
        AssertPlaces(report, Money(), 2);
        AssertPlaces(report, Percent(), 4);
        var statement = await (await admin.GetAsync($"/api/v1/councils/{s.Host}/recharge-statements/2024-25")).Content
            .ReadAsStringAsync();
        AssertPlaces(statement, Money(), 2);
        AssertPlaces(statement, Percent(), 4);
    }

    private static void AssertPlaces(string json, Regex figures, int places)
    {
        var found = figures.Matches(json);
        Assert.NotEmpty(found);
        foreach (Match m in found)
        {
            var value = m.Groups["value"].Value;
            Assert.True(
                value.Contains('.', StringComparison.Ordinal) && value.Split('.')[1].Length == places,
                $"{m.Value} does not have {places} places in {json}");
        }
    }

    private static async Task<string> Send(
        HttpClient client,
        HttpMethod method,
        string url,
        string json,
        HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await client.SendAsync(
            new HttpRequestMessage(method,
                url)
            { Content = new StringContent(json, Encoding.UTF8, "application/json") });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {url}: {(int)response.StatusCode} {body}");
        return body;
    }

    [GeneratedRegex("\"(netCost|amount|share|paidDirectly|balance)\":(?<value>-?[0-9.eE+]+)")]
    private static partial Regex Money();

    [GeneratedRegex("\"(sharePercent|percent)\":(?<value>-?[0-9.eE+]+)")]
    private static partial Regex Percent();
}
