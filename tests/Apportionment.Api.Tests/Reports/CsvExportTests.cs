using Apportionment.Api.Infrastructure.Http;

namespace Apportionment.Api.Tests.Reports;

/// <summary>
/// CSV as a finance officer opens it in Excel: safe to open, numbers still numbers, and only when asked for.
/// </summary>
public sealed class CsvExportTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Fact]
    public async Task Text_that_Excel_would_run_as_a_formula_is_prefixed_and_money_stays_a_number()
    {
        var councils = await _admin.NewCouncilsAsync("A", "B");
        var (a, b) = (councils[0], councils[1]);
        var service = ApiSteps.UniqueCode("INJ");
        await _admin.CreateServiceAsync(service, a, councils, name: "=HYPERLINK(\"http://evil.example\",\"Click\")");
        await _admin.AgreeAsync(service, ApiSteps.FixedSplit("2024-04", (a, 60m), (b, 40m)));
        await _admin.PostCostAsync(service, "2024-04", 1000m);
        await (await _admin.PostAsJsonAsync($"/api/v1/shared-services/{service}/costs",
            new
            {
                month = "2024-04",
                amount = -50.00m,
                category = "-refund",
                paidBy = a,
                reference = "+441234567890",
                description = "@SUM(1+1)"
            })).JsonAsync(HttpStatusCode.Created);

        var statement = await CsvRowsAsync($"/api/v1/councils/{a}/recharge-statements/2024-04");
        Assert.Equal(
            $"{a},2024-04,{service},\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Click\"\")\",{a},950.00,60,570.00,"
                + "950.00,-380.00,570.00,0.00", statement[1]);
        Assert.Equal($"{a},2024-04,TOTAL,,,,,570.00,950.00,-380.00,570.00,0.00", statement[2]);

        var ledger = await CsvRowsAsync($"/api/v1/shared-services/{service}/costs?period=2024-04");
        Assert.Equal(
            "id,service,month,amount,category,paidBy,reference,description,reversalOf,reversalReason,reversedBy,"
                + "postedAt", ledger[0]);
        var refund = ledger[1].Split(',');   // newest first
        Assert.Equal(["-50.00", "'-refund", a, "'+441234567890", "'@SUM(1+1)"], refund[3..8]);
        Assert.Equal($"TOTAL,{service},2024-04,950.00,,,,,,,,", ledger[^1]);
    }

    [Fact]
    public void Tab_and_carriage_return_at_the_start_are_neutralised_too_and_only_text_is_touched()
    {
        Assert.Equal("'\tcmd", CsvCell.Text("\tcmd").Value);
        Assert.Equal("'\r=1", CsvCell.Text("\r=1").Value);
        Assert.Equal("a=b", CsvCell.Text("a=b").Value);
        Assert.Equal("-24034.04", ((CsvCell)(-24034.04m)).Value);
        Assert.Null(((CsvCell)(decimal?)null).Value);
    }

    [Theory]
    [InlineData("text/csv", true)]
    [InlineData("text/csv, */*;q=0.5", true)]
    [InlineData("application/json;q=0.5, text/csv", true)]
    [InlineData("text/*", true)]
    [InlineData("text/csv;q=0, application/json", false)]
    [InlineData("text/csv;q=0.4, application/json;q=0.8", false)]
    [InlineData("text/csv, application/json", false)]
    [InlineData("*/*", false)]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false)]
    public async Task The_Accept_header_q_values_decide_between_csv_and_json(string accept, bool csv)
    {
        var councils = await _admin.NewCouncilsAsync("A", "B");
        var service = await _admin.ServiceWithFixedSplitAsync("QV", "2024-04", (councils[0], 50m), (councils[1], 50m));
        foreach (var url in new[]
                 {
                     $"/api/v1/councils/{councils[0]}/recharge-statements/2024-04",
                     $"/api/v1/shared-services/{service}/apportionments/2024-04",
                     $"/api/v1/shared-services/{service}/costs?period=2024-04",
                     $"/api/v1/shared-services/{service}/savings/2024-04",
                     $"/api/v1/councils/{councils[0]}/savings/2024-04",
                 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Accept", accept);
            var response = await _admin.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(csv ? "text/csv" : "application/json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task The_ledger_behind_a_statement_comes_whole_as_csv_with_reversals_and_a_total()
    {
        var councils = await _admin.NewCouncilsAsync("A", "B");
        var service = await _admin.ServiceWithFixedSplitAsync("LED", "2024-04", (councils[0], 50m), (councils[1], 50m));
        for (var i = 1; i <= 60; i++)
        {
            await _admin.PostCostAsync(service, "2024-05", 10m); // more than the default JSON page of 50
        }

        var wrong = await _admin.PostCostAsync(service, "2024-06", 99.99m);
        var reversal = await _admin.PostJsonAsync(
            $"/api/v1/costs/{wrong.Text("id")}/reversal",
            new { reason = "Posted to the wrong service" });
        await _admin.PostCostAsync(service, "2025-01", 1m); // outside the quarter

        var rows = await CsvRowsAsync(
            $"/api/v1/shared-services/{service}/costs?period=2024-25-Q1",
            $"costs-{service}-2024-25-Q1.csv");
        Assert.Equal(1 + 62 + 1, rows.Length);
        Assert.Contains(rows, r => r.StartsWith(
            $"{wrong.Text("id")},{service},2024-06,99.99,",
            StringComparison.Ordinal) && r.Contains($",{reversal.Text("id")},", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith(
            $"{reversal.Text("id")},{service},2024-06,-99.99,",
            StringComparison.Ordinal) && r.Contains(",Posted to the wrong service,", StringComparison.Ordinal));
        Assert.Equal($"TOTAL,{service},2024-25-Q1,600.00,,,,,,,,", rows[^1]);
        // The same figure the statement is built on.
        Assert.Equal(600.00m, (await _admin.ApportionmentAsync(service, "2024-25-Q1")).Money("netCost"));
    }

    [Fact]
    public async Task A_councils_savings_across_its_services_come_as_csv()
    {
        var councils = await _admin.NewCouncilsAsync("A", "B");
        var (a, b) = (councils[0], councils[1]);
        var service = await _admin.ServiceWithFixedSplitAsync("SVC", "2024-04", (a, 50m), (b, 50m));
        await _admin.PostCostAsync(service, "2024-04", 1000m);
        await (await _admin.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/baselines/{a}",
            new { annualCost = 12000m, note = (string?)null })).JsonAsync(HttpStatusCode.OK);

        var rows = await CsvRowsAsync($"/api/v1/councils/{a}/savings/2024-04", $"savings-{a}-2024-04.csv");
        Assert.Equal(
            [
                "council,period,service,serviceName,baseline,share,saving",
                $"{a},2024-04,{service},{service} shared service,1000.00,500.00,500.00",
                $"{a},2024-04,TOTAL,,1000.00,500.00,500.00",
            ],
            rows);
    }

    private async Task<string[]> CsvRowsAsync(string url, string? fileName = null)
    {
        using var request = ApiSteps.AcceptCsv(url);
        var response = await _admin.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        if (fileName is not null)
        {
            Assert.Equal(fileName, response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        }

        Assert.EndsWith("\r\n", body, StringComparison.Ordinal);
        return body[..^2].Split("\r\n");
    }
}
