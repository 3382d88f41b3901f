using System.Net.Http.Headers;
using Apportionment.Api.Demo;
using Apportionment.Api.Infrastructure.Security;
using static Apportionment.Api.Tests.Partnerships.PackReading;

namespace Apportionment.Api.Tests.Partnerships;

/// <summary>
/// The review pack of the demo partnerships, as JSON, PDF and xlsx, against the statements it must agree with.
/// </summary>
public sealed class ReviewPackTests(ApiFactory factory) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private readonly HttpClient _admin = factory.Admin();

    public async Task InitializeAsync() => await DemoSeeder.SeedAsync(factory.Services);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_pdf_prints_the_jsons_figures_with_contents_dates_and_page_numbers()
    {
        var pack = await _admin.GetJsonAsync("/api/v1/shared-services/DAP/review/2025-26");
        var pdf = await DownloadAsync("/api/v1/shared-services/DAP/review/2025-26", "application/pdf");
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
        var pages = PdfWords(pdf);
        var words = pages.SelectMany(p => p).ToList();
        var text = string.Join(' ', words);

        Assert.All(
            pages.Select((p, i) => (p, i)),
            x => Assert.Contains($"Page {x.i + 1} of {pages.Count}", string.Join(' ', x.p), StringComparison.Ordinal));
        Assert.Contains("Contents", words);
        Assert.Contains("Devon Audit Partnership (DAP)", text, StringComparison.Ordinal);
        Assert.Contains("Months provisional", text, StringComparison.Ordinal);
        foreach (var line in pack.GetProperty("tradingAccount").GetProperty("councils").EnumerateArray()
            .Append(pack.GetProperty("tradingAccount").GetProperty("total")))
        {
            Assert.Contains(line.Text("council"), words);
            foreach (var field in new[] { "budgetShare", "actualShare", "surplusDeficit" })
            {
                Assert.Contains(Money(line.Money(field)), words);
            }
        }

        Assert.Contains(Money(pack.GetProperty("cost").Money("netCost")), words);
        Assert.Contains(Money(pack.GetProperty("savings").Money("saving")), words);
        Assert.Contains(Money(pack.GetProperty("savings").Money("businessCaseTarget")), words);
        Assert.Contains("Joint committee", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_xlsx_has_a_sheet_per_section_with_money_as_numbers_codes_as_text_and_a_frozen_header()
    {
        var pack = await _admin.GetJsonAsync("/api/v1/shared-services/DAP/review/2025-26");
        var xlsx = await DownloadAsync("/api/v1/shared-services/DAP/review/2025-26", Xlsx);
        Assert.Equal(
            ["Governance", "Method", "Cost by month", "Trading account", "Savings", "Indicators", "Agreements"],
            SheetNames(xlsx));

        var trading = Table(xlsx, "Trading account");
        var expected = pack.GetProperty("tradingAccount").GetProperty("councils").EnumerateArray()
            .Append(pack.GetProperty("tradingAccount").GetProperty("total"))
            .ToList();
        Assert.Equal(expected.Count, trading.Count);
        foreach (var (row, json) in trading.Zip(expected))
        {
            Assert.Equal(json.Text("council"), Text(row["council"]));
            Assert.Equal(json.Money("budgetShare"), Number(row["budgetShare"]));
            Assert.Equal(json.Money("actualShare"), Number(row["actualShare"]));
            Assert.Equal(json.Money("incomeShare"), Number(row["incomeShare"]));
            Assert.Equal(json.Money("surplusDeficit"), Number(row["surplusDeficit"]));
        }

        var months = Table(xlsx, "Cost by month");
        Assert.Equal(pack.GetProperty("cost").GetProperty("months").EnumerateArray()
            .Select(m => (m.Text("month"), m.Money("netCost"))),
            months.Take(12).Select(r => (Text(r["month"]), Number(r["netCost"]))));
        Assert.Equal(
            pack.GetProperty("cost").Money("reductionTarget"),
            Number(months.Single(r => r["month"] as string == "TARGET")["budget"]));
        var indicators = Table(xlsx, "Indicators");
        Assert.Contains(
            indicators,
            r => Text(r["key"]) == "audit-days-delivered" && Text(r["council"]) == "PCC" && r["actual"] is double);

        Assert.Contains("£#,##0.00", Part(xlsx, "xl/styles.xml"), StringComparison.Ordinal);
        Assert.Contains("state=\"frozen\"", Part(xlsx, "xl/worksheets/sheet4.xml"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2024-25")]
    [InlineData("2025-26")]
    public async Task Every_demo_services_pack_agrees_with_its_statements_budget_monitoring_and_savings(string year)
    {
        foreach (var service in DemoData.Services)
        {
            var pack = await _admin.GetJsonAsync($"/api/v1/shared-services/{service.Code}/review/{year}");
            var apportionment = await _admin.GetJsonAsync(
                $"/api/v1/shared-services/{service.Code}/apportionments/{year}");
            var trading = pack.GetProperty("tradingAccount");
            Assert.Equal(apportionment.Money("netCost"), trading.GetProperty("total").Money("actualShare"));
            Assert.Equal(apportionment.Money("netCost"), pack.GetProperty("cost").Money("netCost"));
            Assert.Equal(
                apportionment.Money("netCost"),
                pack.GetProperty("cost").GetProperty("months").EnumerateArray().Sum(m => m.Money("netCost")));

            Assert.Equal(DemoData.BudgetFor(service, year), pack.GetProperty("cost").Money("budget"));
            // A support service's budget goes with its cost to the services it supports, so only the services councils
            // pay directly are compared with their budget monitoring.
            var monitoring = service.Supports is null
                ? await _admin.GetJsonAsync($"/api/v1/shared-services/{service.Code}/budget-monitoring/{year}")
                : default;
            if (service.Supports is null)
            {
                Assert.Equal(monitoring.Money("budget"), pack.GetProperty("cost").Money("budget"));
                Assert.Equal(monitoring.Money("budget"), trading.GetProperty("total").Money("budgetShare"));
            }

            var savings = await _admin.GetJsonAsync($"/api/v1/shared-services/{service.Code}/savings/{year}");
            Assert.Equal(savings.GetProperty("totals").Money("saving"), pack.GetProperty("savings").Money("saving"));
            Assert.Equal(
                savings.GetProperty("totals").Money("baseline"),
                pack.GetProperty("savings").Money("baseline"));

            foreach (var line in trading.GetProperty("councils").EnumerateArray())
            {
                var council = line.Text("council");
                if (service.Supports is null)
                {
                    var budgetShare = monitoring.GetProperty("councils").EnumerateArray()
                        .SingleOrDefault(c => c.Text("council") == council);
                    Assert.Equal(
                        budgetShare.ValueKind == JsonValueKind.Undefined ? 0m : budgetShare.Money("budgetShare"),
                        line.Money("budgetShare"));
                }

                var statement = await _admin.GetJsonAsync($"/api/v1/councils/{council}/recharge-statements/{year}");
                var statementLine = statement.GetProperty("lines").EnumerateArray()
                    .SingleOrDefault(l => l.Text("service") == service.Code);
                Assert.Equal(
                    statementLine.ValueKind == JsonValueKind.Undefined ? 0m : statementLine.Money("share"),
                    line.Money("actualShare"));
                var saving = savings.GetProperty("councils").EnumerateArray().Single(c => c.Text("council") == council);
                Assert.Equal(saving.Money("share"), pack.GetProperty("savings").GetProperty("councils").EnumerateArray()
                    .Single(c => c.Text("council") == council)
                    .Money("share"));
            }
        }
    }

    [Fact]
    public async Task A_council_sees_the_packs_of_its_own_partnerships_only()
    {
        var torbay = await factory.CouncilClient("TC", Scopes.StatementsRead);
        var pack = await torbay.GetJsonAsync("/api/v1/shared-services/DAP/review/2025-26");
        Assert.Equal("DCC", pack.Text("hostCouncil"));
        await (await torbay.GetAsync("/api/v1/shared-services/BC-MDND/review/2025-26")).ProblemAsync(
            HttpStatusCode.NotFound);
        using var pdf = new HttpRequestMessage(HttpMethod.Get, "/api/v1/shared-services/BC-MDND/review/2025-26");
        pdf.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/pdf"));
        await (await torbay.SendAsync(pdf)).ProblemAsync(HttpStatusCode.NotFound);
        await (await torbay.GetAsync("/api/v1/shared-services/DAP/review/2025")).ProblemAsync(
            HttpStatusCode.BadRequest,
            "financialYear");
    }

    private async Task<byte[]> DownloadAsync(string url, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.AdminKey);
        var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(accept, response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }
}
