using Apportionment.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Apportionment.Dashboard.Tests;

/// <summary>Mid Devon's overview against the API's own statement, settlement and CSV for the same key.</summary>
[Collection(DashboardCollection.Name)]
public sealed class OverviewTests(DashboardWorld world, ITestOutputHelper output)
{
    [Theory]
    [InlineData("2025-26")]
    [InlineData("2025-26-Q3")]
    [InlineData("2024-25")]
    public async Task The_overview_shows_the_statement_to_the_penny(string period)
    {
        var key = await world.ReaderKeyAsync("MDDC");
        var statement = await world.Client(key).GetJsonAsync($"/api/v1/councils/MDDC/recharge-statements/{period}");
        await using var tab = await world.OpenAsync(output);
        await tab.SignInAsync(key);
        await tab.ShowAsync($"#overview?period={period}", "Overview");

        var rows = await tab.TableAsync("statement");
        var lines = statement.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(lines.Count + 1, rows.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            Assert.Equal(line.Text("serviceName"), rows[i][0]);
            Assert.Equal(line.Text("hostCouncil"), rows[i][1]);
            Assert.Equal(line.Money("netCost"), DashboardPage.Money(rows[i][2]));
            Assert.Equal(line.Money("direct"), DashboardPage.Money(rows[i][4]));
            Assert.Equal(line.Money("overheads"), DashboardPage.Money(rows[i][5]));
            Assert.Equal(line.Money("share"), DashboardPage.Money(rows[i][6]));
            Assert.Equal(line.Money("paidDirectly"), DashboardPage.Money(rows[i][7]));
            Assert.Equal(line.Money("balance"), DashboardPage.Money(rows[i][8]));
            Assert.DoesNotContain("-", rows[i][8], StringComparison.Ordinal);
        }

        var totals = statement.GetProperty("totals");
        var total = rows[^1];
        Assert.Equal("Total", total[0]);
        Assert.Equal(totals.Money("share"), DashboardPage.Money(total[6]));
        Assert.Equal(totals.Money("paidDirectly"), DashboardPage.Money(total[7]));
        Assert.Equal(totals.Money("balance"), DashboardPage.Money(total[8]));

        var summary = await tab.Page.Locator("#totals .govuk-summary-list__value").AllInnerTextsAsync();
        Assert.Equal(totals.Money("share"), DashboardPage.Money(summary[0]));
        Assert.Equal(totals.Money("paidDirectly"), DashboardPage.Money(summary[1]));
        Assert.Equal(totals.Money("balance"), DashboardPage.Money(summary[2]));
        tab.AssertClean();
    }

    [Fact]
    public async Task The_settlement_transfers_are_the_ones_involving_the_council()
    {
        var key = await world.ReaderKeyAsync("MDDC");
        var api = world.Client(key);
        await using var tab = await world.OpenAsync(output);
        await tab.SignInAsync(key);
        await tab.ShowAsync($"#overview?period={DashboardWorld.Year}", "Overview");

        foreach (var service in new[] { "BC-MDND", "DAP" })
        {
            var settlement = await api.GetJsonAsync(
                $"/api/v1/shared-services/{service}/settlements/{DashboardWorld.Year}");
            var expected = settlement.GetProperty("transfers").EnumerateArray()
                .Where(t => t.Text("from") == "MDDC" || t.Text("to") == "MDDC")
                .Select(t => (t.Text("from"), t.Text("to"), t.Money("amount"))).ToList();
            var shown = (await tab.TableAsync($"settlement-{service}"))
                .Select(r => (Code(r[0]), Code(r[1]), DashboardPage.Money(r[2]))).ToList();
            Assert.Equal(expected, shown);
        }

        tab.AssertClean();
    }

    [Theory]
    [InlineData("Download statement CSV", "/api/v1/councils/MDDC/recharge-statements/2025-26")]
    [InlineData("Download BC-MDND settlement CSV", "/api/v1/shared-services/BC-MDND/settlements/2025-26")]
    public async Task Download_csv_saves_the_api_csv(string button, string url)
    {
        var key = await world.ReaderKeyAsync("MDDC");
        using var api = world.Client(key);
        using var request = new HttpRequestMessage(HttpMethod.Get, url + "?labels=human");
        request.Headers.Accept.ParseAdd("text/csv");
        using var response = await api.SendAsync(request);
        var expected = await response.Content.ReadAsByteArrayAsync();

        await using var tab = await world.OpenAsync(output);
        await tab.SignInAsync(key);
        await tab.ShowAsync($"#overview?period={DashboardWorld.Year}", "Overview");
        var download = await tab.Page.RunAndWaitForDownloadAsync(
            () => tab.Page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync());

        Assert.Equal(response.Content.Headers.ContentDisposition?.FileNameStar
            ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), download.SuggestedFilename);
        await using var saved = await download.CreateReadStreamAsync();
        using var copy = new MemoryStream();
        await saved.CopyToAsync(copy);
        // The CSV for people (labels=human), the same but for the moment it was generated (its first line).
        Assert.Equal(WithoutFirstLine(expected), WithoutFirstLine(copy.ToArray()));
        Assert.Equal([0xEF, 0xBB, 0xBF], copy.ToArray()[..3]);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        tab.AssertClean();
    }

    [Fact]
    public async Task The_overview_prints_without_navigation_or_buttons_and_with_every_figure()
    {
        await using var tab = await world.OpenAsync(output);
        await tab.SignInAsync(await world.ReaderKeyAsync("MDDC"));
        await tab.ShowAsync($"#overview?period={DashboardWorld.Year}", "Overview");
        await tab.Page.EmulateMediaAsync(new() { Media = Media.Print });

        Assert.False(await tab.Page.Locator("#navigation").IsVisibleAsync());
        Assert.False(await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).IsVisibleAsync());
        Assert.False(
            await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Download statement CSV" }).IsVisibleAsync());
        Assert.True(await tab.Page.Locator("#statement").IsVisibleAsync());
        Assert.True(await tab.Page.Locator("#settlement-DAP").IsVisibleAsync());
        Assert.True(await tab.Page.GetByText("Figures as at").IsVisibleAsync());

        // And Chromium prints it to an A4 PDF, as for a committee paper.
        var pdf = await tab.Page.PdfAsync(new() { Format = "A4" });
        Assert.True(pdf.Length > 1000);
        tab.AssertClean();
    }

    private static string Code(string shown) => shown[(shown.LastIndexOf('(') + 1)..^1];

    private static string WithoutFirstLine(byte[] csv)
    {
        var text = System.Text.Encoding.UTF8.GetString(csv);
        return text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..];
    }
}
