using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Apportionment.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Apportionment.Dashboard.Tests;

/// <summary>
/// What explains a statement line: what the support services passed on, the postings and activity figures behind a
/// line (a drill-down), and each service's months against last year and its budget profile. Each at 1280 and 375 px,
/// figures equal to the API's, axe clean.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class BehindTheFiguresTests(DashboardWorld world, ITestOutputHelper output)
{
    public static TheoryData<int> Widths => new() { 1280, 375 };

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task Support_services_show_what_they_passed_on_to_each_service(int width)
    {
        var key = await world.ReaderKeyAsync("SHDC");
        var api = world.Client(key);
        var statement = await api.StatementAsync("SHDC", DashboardWorld.Year);
        await using var tab = await world.OpenAsync(output, new ViewportSize { Width = width, Height = 900 });
        await tab.SignInAsync(key);
        await tab.ShowAsync($"#overview?period={DashboardWorld.Year}", "Overview");

        var support = 0;
        foreach (var line in statement.GetProperty("lines").EnumerateArray())
        {
            var service = line.Text("service");
            var flows = await api.GetJsonAsync(
                $"/api/v1/shared-services/{service}/overhead-flows/{DashboardWorld.Year}");
            var passedOn = flows.Money("passedOn");
            if (passedOn == 0m)
            {
                Assert.Equal(0, await tab.Page.Locator($"#passed-on-{service}").CountAsync());
                continue;
            }

            support++;
            var expected = flows.GetProperty("flows").EnumerateArray().Where(f => f.Text("from") == service)
                .GroupBy(f => f.Text("to")).ToDictionary(g => g.Key, g => g.Sum(f => f.Money("amount")));
            var rows = await tab.TableAsync($"passed-on-{service}");
            Assert.Equal(expected.Count + 1, rows.Count);
            foreach (var row in rows[..^1])
            {
                var to = expected.Keys.Single(
                    code => row[0].Contains(Named(statement, code), StringComparison.Ordinal));
                Assert.Equal(expected[to], DashboardPage.Money(row[1]));
            }

            Assert.Equal(["Total", DashboardPage.Shown(passedOn)], rows[^1]);
        }

        Assert.True(support >= 2, "South Hams' 2025-26 statement has the admin team and digital support.");
        await Axe.AssertCleanAsync(tab.Page, $"overview with support services at {width}");
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task A_statement_line_drills_down_to_its_postings_and_driver_figures(int width)
    {
        // A service of two new councils, with a posting corrected by a reversal and an activity return.
        var (mine, other) = (ApiSteps.UniqueCode("DRL"), ApiSteps.UniqueCode("DRO"));
        var code = await world.Admin.ServiceWithFixedSplitAsync("DRILL", "2025-04", (mine, 60m), (other, 40m));
        var wrong = await world.Admin.PostCostAsync(code, "2025-06", 1_250.00m, mine);
        var reversal = await world.Admin.PostAsJsonAsync(
            $"/api/v1/costs/{wrong.Text("id")}/reversal", new { reason = "Posted to the wrong service" });
        Assert.Equal(HttpStatusCode.Created, reversal.StatusCode);
        await world.Admin.PostCostAsync(code, "2025-07", 980.40m, mine);
        await world.Admin.PutActivityAsync(code, "2025-07", "cases",
            new Dictionary<string, decimal> { [mine] = 12m, [other] = 30m });
        var key = await world.ReaderKeyAsync(mine);

        await using var tab = await world.OpenAsync(output, new ViewportSize { Width = width, Height = 900 });
        await tab.SignInAsync(key);
        await tab.ShowAsync($"#overview?period={DashboardWorld.Year}", "Overview");
        await tab.Page.Locator("#statement").GetByRole(AriaRole.Link, new() { Name = $"{code} shared service" })
            .ClickAsync();
        await tab.Heading("Behind the figures").WaitForAsync();
        await tab.Page.WaitForFunctionAsync("() => !document.getElementById('view').hasAttribute('aria-busy')");
        Assert.Contains($"period={DashboardWorld.Year}", tab.Page.Url, StringComparison.Ordinal);

        var postings = await tab.TableAsync("postings");
        Assert.Equal(4, postings.Count);
        Assert.Equal(["June 2025", "June 2025", "July 2025", "Total"], postings.Select(r => r[0]));
        Assert.Equal([1_250.00m, -1_250.00m, 980.40m, 980.40m], postings.Select(r => DashboardPage.Money(r[^1])));
        Assert.Equal("Reversed", postings[0][5]);
        Assert.Equal("Reversal: Posted to the wrong service", postings[1][5]);
        Assert.Equal("", postings[2][5]);

        var figures = await tab.TableAsync("driver-figures");
        Assert.Equal([["July 2025", "cases", "12", "30"]], figures);
        var headers = await tab.Page.Locator("#driver-figures thead th").AllInnerTextsAsync();
        Assert.Equal(["Month", "Driver", $"{mine} Council"], headers.Take(3).Select(t => t.Trim()));
        Assert.Contains(other, headers[3], StringComparison.Ordinal);
        await Axe.AssertCleanAsync(tab.Page, $"drill-down at {width}");
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task Trends_compare_each_month_with_last_year_and_the_budget(int width)
    {
        var key = await world.ReaderKeyAsync("MDDC");
        var api = world.Client(key);
        await using var tab = await world.OpenAsync(output, new ViewportSize { Width = width, Height = 900 });
        await tab.SignInAsync(key);
        await tab.ShowAsync($"#trends?period={DashboardWorld.Year}", "Trends");

        var tables = await tab.Page.Locator("table[id^=trend-]").EvaluateAllAsync<string[]>("ts => ts.map(t => t.id)");
        Assert.NotEmpty(tables);
        foreach (var id in tables)
        {
            var service = id["trend-".Length..];
            var pack = await api.GetJsonAsync($"/api/v1/shared-services/{service}/review/{DashboardWorld.Year}");
            var months = pack.GetProperty("cost").GetProperty("months").EnumerateArray().ToList();
            var rows = await tab.TableAsync(id);
            Assert.Equal(13, rows.Count);
            for (var i = 0; i < 12; i++)
            {
                Assert.Equal(Shown(months[i].GetProperty("lastYear")), rows[i][2]);
                Assert.Equal(DashboardPage.Shown(months[i].Money("budget")), rows[i][3]);
            }

            Assert.Equal(DashboardPage.Shown(pack.GetProperty("cost").Money("budget")), rows[^1][3]);
        }

        // Each chart draws three series, told apart by line pattern and marker as well as colour.
        var chart = tab.Page.Locator("figure.app-chart").First;
        Assert.Equal(3, await chart.Locator("svg[role=img] polyline").CountAsync());
        Assert.Equal(
            ["Net cost", "Last year", "Budget"],
            await chart.Locator(".app-legend__item").AllInnerTextsAsync());
        await Axe.AssertCleanAsync(tab.Page, $"trends at {width}");
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task The_review_page_draws_charts_beside_its_tables(int width)
    {
        await using var tab = await world.OpenAsync(output, new ViewportSize { Width = width, Height = 900 });
        await tab.SignInAsync(await world.ReaderKeyAsync("MDDC"));
        await tab.ShowAsync($"#review?period={DashboardWorld.Year}", "Review pack");

        var charts = tab.Page.Locator("#view figure.app-chart");
        Assert.Equal(3, await charts.CountAsync());
        for (var i = 0; i < 3; i++)
        {
            var image = charts.Nth(i).Locator("svg[role=img]");
            Assert.True(await image.IsVisibleAsync());
            Assert.False(string.IsNullOrWhiteSpace(await image.Locator("title").TextContentAsync()));
            var box = await image.BoundingBoxAsync();
            Assert.True(box!.X >= 0 && box.X + box.Width <= width, $"Chart {i} is wider than the screen.");
        }

        // The method chart's bars carry the same shares as the method table.
        var method = await tab.TableAsync("review-method");
        var labels = await charts.First.Locator("text.app-chart__text--value").AllTextContentsAsync();
        Assert.Equal(method.Count, labels.Count);
        Assert.Equal(0, await tab.Page.Locator("script:not([src])").CountAsync());
        await Axe.AssertCleanAsync(tab.Page, $"review at {width}");
        tab.AssertClean();
    }

    private static string Named(JsonElement statement, string code) =>
        statement.GetProperty("lines").EnumerateArray().Where(l => l.Text("service") == code)
            .Select(l => l.Text("serviceName")).FirstOrDefault() ?? code;

    private static string Shown(JsonElement money) =>
        money.ValueKind == JsonValueKind.Null ? "No figure" : DashboardPage.Shown(money.GetDecimal());
}
