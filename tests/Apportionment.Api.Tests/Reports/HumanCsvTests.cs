using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Apportionment.Api.Demo;
using Apportionment.Api.Tests.Infrastructure;
using nietras.SeparatedValues;

namespace Apportionment.Api.Tests.Reports;

/// <summary>
/// labels=human as a finance officer opens it in Excel, on the Devon demo (2024-25 closed, 2025-26 open): a BOM,
/// headings in words, no month Excel would turn into a date, when it was generated and whether it is final, and totals
/// that add up. The default CSV stays as programs read it.
/// </summary>
public sealed partial class HumanCsvTests(ApiFactory factory) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    private readonly HttpClient _admin = factory.Admin();

    public async Task InitializeAsync() => await DemoSeeder.SeedAsync(factory.Services);

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// Every CSV read, for people; overhead flows are checked on their own (their total sums no column).
    /// </summary>
    public static TheoryData<string> Reads() =>
    [
        "/api/v1/councils/MDDC/recharge-statements/2025-26",
        "/api/v1/councils/SHDC/recharge-statements/2024-25",
        "/api/v1/shared-services/BC-MDND/settlements/2025-26",
        "/api/v1/shared-services/DAP/apportionments/2025-11",
        "/api/v1/shared-services/SHWD-PLANNING/apportionments/2025-26",
        "/api/v1/shared-services/DAP/savings/2025-26",
        "/api/v1/councils/SHDC/savings/2025-26",
        "/api/v1/shared-services/DAP/budget-monitoring/2025-26?asOf=2025-11",
        "/api/v1/councils/WDBC/budget-monitoring/2025-26",
        "/api/v1/shared-services/BC-MDND/costs?period=2025-11",
        "/api/v1/shared-services/SHWD-ADMIN/overhead-flows/2025-26-Q3",
    ];

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task Opens_in_Excel_with_a_BOM_headings_in_words_months_as_text_and_totals_that_add_up(string url)
    {
        var (bytes, rows) = await HumanAsync(url);

        Assert.Equal(Bom, bytes[..3]);
        Assert.Equal("Generated at", rows[0][0]);
        Assert.True(DateTimeOffset.TryParse(rows[0][1], CultureInfo.InvariantCulture, out _), rows[0][1]);
        Assert.Equal("Figures", rows[1][0]);
        Assert.Matches("^(Final: every month of .+ is closed|Provisional: .+ may still change)$",
            rows[1][1]);
        Assert.All(rows[2], c => Assert.Equal("", c));
        var headings = rows[3];
        Assert.All(headings, h => Assert.Matches(@"^[A-Z][a-zA-Z\-]*( [a-zA-Z\-]+)*( \((£|%|kind)\))?$", h));
        Assert.All(
            rows.SelectMany(r => r),
            c => Assert.False(ExcelReadsAsDate(c), $"Excel would read '{c}' as a date"));

        var table = rows[4..];
        var marker = Array.FindIndex(headings, h => h is "Service" or "Council" or "Posting" or "From");
        if (!url.Contains("overhead-flows", StringComparison.Ordinal))
        {
            AssertTotalsSumTheirColumns(headings, table);
        }
        else
        {
            var total = table.Single(r => r.Contains("Total"));
            var parts = table.Where(r => r.Contains("Direct costs") || r.Contains("Overheads received")
                || r.Contains("Overheads passed on")).ToList();
            var amount = Array.IndexOf(headings, "Amount (£)");
            Assert.Equal(Money(total[amount]), parts.Sum(r => Money(r[amount])));
        }

        Assert.True(marker >= 0, "a column names what each row is");
    }

    [Fact]
    public async Task A_closed_year_is_final_and_an_open_one_provisional_naming_its_open_months()
    {
        var (_, closed) = await HumanAsync("/api/v1/councils/MDDC/recharge-statements/2024-25");
        Assert.Equal("Final: every month of 2024-25 is closed", closed[1][1]);

        var (_, open) = await HumanAsync("/api/v1/shared-services/DAP/savings/2025-26");
        Assert.Equal("Provisional: no month of 2025-26 is closed yet, so every figure may still change", open[1][1]);

        var (_, quarter) = await HumanAsync("/api/v1/shared-services/SHWD-ADMIN/overhead-flows/2025-26-Q3");
        Assert.Equal(
            "Provisional: no month of 2025-26 Q3 (Oct–Dec 2025) is closed yet, so every figure may still change",
            quarter[1][1]);
        Assert.Equal("2025-26 Q3 (Oct–Dec 2025)", quarter[4][1]);
    }

    [Fact]
    public async Task Headings_and_months_read_as_words_in_the_statement_and_the_ledger()
    {
        var (_, statement) = await HumanAsync("/api/v1/councils/MDDC/recharge-statements/2025-26");
        Assert.Equal(
            ["Council", "Period", "Service", "Service name", "Host council", "Net cost (£)", "Share (%)", "Share (£)",
                "Paid directly (£)", "Balance (£)", "Direct costs (£)", "Overheads (£)"],
            statement[3]);
        Assert.Equal(["MDDC", "2025-26", "Total"], statement.Single(r => r[2] == "Total")[..3]);

        var (_, ledger) = await HumanAsync("/api/v1/shared-services/DAP/costs?period=2025-11");
        var month = Array.IndexOf(ledger[3], "Month");
        Assert.All(ledger[4..^1], r => Assert.Equal("2025-26 P08 (Nov 2025)", r[month]));
        Assert.Equal("2025-26 P08 (Nov 2025)", ledger[^1][month]);
    }

    [Fact]
    public async Task Every_demo_councils_budget_monitoring_total_is_the_sum_of_each_column_in_both_forms()
    {
        foreach (var year in DemoData.FinancialYears)
        {
            foreach (var council in DemoData.Councils)
            {
                var url = $"/api/v1/councils/{council.Code}/budget-monitoring/{year}";
                var codes = Parse(await (await _admin.SendAsync(ApiSteps.AcceptCsv(url))).Content.ReadAsStringAsync());
                var total = codes.Single(r => r[3] == "TOTAL");
                Assert.Equal(codes[^1], total);
                AssertTotalsSumTheirColumns(codes[0], codes[1..], everyFigure: true);

                var (_, human) = await HumanAsync(url);
                AssertTotalsSumTheirColumns(human[3], human[4..], everyFigure: true);
            }
        }
    }

    [Fact]
    public async Task Without_the_option_the_CSV_is_as_programs_read_it_and_a_wrong_value_is_named()
    {
        var response = await _admin.SendAsync(ApiSteps.AcceptCsv("/api/v1/councils/MDDC/recharge-statements/2025-26"));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.NotEqual(Bom, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes);
        Assert.StartsWith(
            "council,period,service,serviceName,hostCouncil,netCost,sharePercent,share,paidDirectly,balance,direct,"
            + "overheads\r\nMDDC,2025-26,BC-MDND,", text);
        const string statement = "/api/v1/councils/MDDC/recharge-statements/2025-26";
        var codes = await _admin.SendAsync(ApiSteps.AcceptCsv($"{statement}?labels=codes"));
        Assert.Equal(bytes, await codes.Content.ReadAsByteArrayAsync());

        var wrong = await _admin.SendAsync(ApiSteps.AcceptCsv($"{statement}?labels=words"));
        await wrong.ProblemAsync(HttpStatusCode.BadRequest, "labels");
        var json = await _admin.GetAsync("/api/v1/shared-services/DAP/savings/2025-26?labels=human");
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>
    /// Each totals row equals the sum of the money column above it (back to the previous totals row), for every money
    /// column with figures above it; a column empty above may carry the whole's own figure (a service's target).
    /// With everyFigure, every column with figures is checked, percentages included.
    /// </summary>
    private static void AssertTotalsSumTheirColumns(string[] headings, string[][] table, bool everyFigure = false)
    {
        var totals = table.Select((r, i) => (r, i)).Where(x => x.r.Contains("Total") || x.r.Contains("TOTAL")).ToList();
        var start = 0;
        foreach (var (total, at) in totals)
        {
            var above = table[start..at];
            for (var c = 0; c < headings.Length; c++)
            {
                var figures = above.Where(r => r[c] != "").ToList();
                var money = headings[c].EndsWith("(£)", StringComparison.Ordinal) || (everyFigure
                    && figures.Count > 0
                    && figures.All(r => decimal.TryParse(r[c], CultureInfo.InvariantCulture, out _)));
                if (money && figures.Count > 0 && total[c] != "")
                {
                    Assert.True(
                        Money(total[c]) == figures.Sum(r => Money(r[c])),
                        $"{headings[c]}: total {total[c]}, column sums to {figures.Sum(r => Money(r[c]))}");
                }
            }

            start = at + 1;
        }
    }

    /// <summary>
    /// What Excel (UK or US settings) converts to a date when it opens a CSV: year-month ("2025-04", "2025/4"),
    /// month-year in words ("Apr-2025", "Apr 25", "April 2025"), day-month ("1-Apr", "01/04") and full dates.
    /// "2025-26" is left alone: 26 is no month.
    /// </summary>
    private static bool ExcelReadsAsDate(string cell)
    {
        var m = YearMonth().Match(cell);
        if (m.Success && int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) is >= 1 and <= 12)
        {
            return true;
        }

        var d = DayMonth().Match(cell);
        return MonthWordsYear().IsMatch(cell) || DayMonthWords().IsMatch(cell)
            || (d.Success && int.Parse(d.Groups[1].Value, CultureInfo.InvariantCulture) is >= 1 and <= 31
                && int.Parse(d.Groups[2].Value, CultureInfo.InvariantCulture) is >= 1 and <= 31);
    }

    [GeneratedRegex(@"^\s*\d{4}[-/](\d{1,2})([-/]\d{1,2})?\s*$")]
    private static partial Regex YearMonth();

    [GeneratedRegex(@"^\s*(\d{1,2})[-/](\d{1,2})([-/]\d{2,4})?\s*$")]
    private static partial Regex DayMonth();

    [GeneratedRegex(
        @"^\s*(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[-/ ]\d{1,4}\s*$",
        RegexOptions.IgnoreCase)]
    private static partial Regex MonthWordsYear();

    [GeneratedRegex(@"^\s*\d{1,2}[-/ ](jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*([-/ ]\d{2,4})?\s*$",
        RegexOptions.IgnoreCase)]
    private static partial Regex DayMonthWords();

    private async Task<(byte[] Bytes, string[][] Rows)> HumanAsync(string url)
    {
        var separator = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var response = await _admin.SendAsync(ApiSteps.AcceptCsv($"{url}{separator}labels=human"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return (bytes, Parse(Encoding.UTF8.GetString(bytes.AsSpan(3))));
    }

    private static string[][] Parse(string text)
    {
        var width = 0;
        var rows = new List<string[]>();
        using var reader = Sep.Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true })
            .FromText(text);
        foreach (var row in reader)
        {
            var cells = new string[row.ColCount];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = row[i].ToString();
            }

            width = int.Max(width, cells.Length);
            rows.Add(cells);
        }

        return [.. rows.Select(r => r.Length == width ? r : [.. r, .. Enumerable.Repeat("", width - r.Length)])];
    }

    private static decimal Money(string cell) => cell == "" ? 0m : decimal.Parse(cell, CultureInfo.InvariantCulture);
}
