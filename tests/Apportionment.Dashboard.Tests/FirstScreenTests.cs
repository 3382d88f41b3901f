using Apportionment.Api.Tests.Infrastructure;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Apportionment.Dashboard.Tests;

/// <summary>
/// The first screen after sign-in: it opens on the latest period with figures, keeps the period in the address from
/// page to page, says plainly when nothing is posted, says which months are final, and tells a sign-in that may not
/// read figures why, with a way to sign out. Each at 1280 and 375 px, with axe clean.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class FirstScreenTests(DashboardWorld world, ITestOutputHelper output)
{
    private static readonly AxeRunOptions Wcag22 = new()
    {
        RunOnly = new RunOnlyOptions
        {
            Type = "tag",
            Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
        },
    };

    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task Signing_in_opens_the_latest_year_with_figures_and_the_menu_keeps_it(int width)
    {
        var key = await world.ReaderKeyAsync("MDDC");
        var latest = await LatestYearWithFiguresAsync(world.Client(key), "MDDC");
        await using var tab = await world.OpenAsync(output, new ViewportSize { Width = width, Height = 900 });
        await tab.SignInAsync(key);
        await tab.Page.WaitForFunctionAsync("() => !document.getElementById('view').hasAttribute('aria-busy')");

        Assert.Contains($"period={latest}", tab.Page.Url, StringComparison.Ordinal);
        Assert.Equal($"Overview: {latest}", (await tab.Page.Locator("#view h1").InnerTextAsync()).Trim());
        await AssertAxeCleanAsync(tab.Page);

        if (width < 800)
        {
            await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
        }

        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "Savings" }).ClickAsync();
        await tab.Heading("Savings").WaitForAsync();
        Assert.Contains($"#savings?period={latest}", tab.Page.Url, StringComparison.Ordinal);
        Assert.Equal($"Savings: {latest}", (await tab.Page.Locator("#view h1").InnerTextAsync()).Trim());
        tab.AssertClean();
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task A_period_with_nothing_posted_says_so_rather_than_square(int width)
    {
        var key = await world.ReaderKeyAsync("MDDC");
        var empty = await world.Client(key).GetJsonAsync("/api/v1/councils/MDDC/recharge-statements/2015-16");
        Assert.DoesNotContain(empty.GetProperty("lines").EnumerateArray(), l => l.Money("share") != 0m);
        await using var tab = await world.OpenAsync(output, new ViewportSize { Width = width, Height = 900 });
        await tab.SignInAsync(key);
        await tab.ShowAsync("#overview?period=2015-16", "Overview");

        var text = await tab.Page.Locator("#view").InnerTextAsync();
        Assert.Contains(
            "Nothing has been posted yet for Mid Devon District Council in 2015-16",
            text,
            StringComparison.Ordinal);
        Assert.DoesNotContain("square", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("belongs to no shared service", text, StringComparison.Ordinal);
        await AssertAxeCleanAsync(tab.Page);
        tab.AssertClean();
    }

    [Fact]
    public async Task The_overview_says_which_months_are_final_and_which_provisional()
    {
        var key = await world.ReaderKeyAsync("MDDC");
        var api = world.Client(key);
        var statement = await api.GetJsonAsync($"/api/v1/councils/MDDC/recharge-statements/{DashboardWorld.Year}");
        var closedEverywhere = new List<string>();
        var services = statement.GetProperty("lines").EnumerateArray().Select(l => l.Text("service")).ToList();
        var periods = new List<IReadOnlyList<System.Text.Json.JsonElement>>();
        foreach (var service in services)
        {
            periods.Add((await api.GetJsonAsync(
                $"/api/v1/shared-services/{service}/periods?period={DashboardWorld.Year}&limit=500")).Items());
        }

        var months = periods.SelectMany(p => p.Select(m => m.Text("month"))).Distinct().Order(StringComparer.Ordinal)
            .ToList();
        closedEverywhere.AddRange(months.Where(
            m => periods.All(p => p.Where(x => x.Text("month") == m).All(x => x.GetProperty("closed").GetBoolean()))));

        await using var tab = await world.OpenAsync(output);
        await tab.SignInAsync(key);
        await tab.ShowAsync($"#overview?period={DashboardWorld.Year}", "Overview");
        var status = await tab.Page.Locator("#figures-status").InnerTextAsync();

        Assert.Contains("Figures as at ", status, StringComparison.Ordinal);
        Assert.Contains(
            closedEverywhere.Count == 0 ? "Final (months closed): none yet." : "Final (months closed): ",
            status,
            StringComparison.Ordinal);
        Assert.Equal(
            closedEverywhere.Count < months.Count,
            status.Contains("Provisional (months still open, may change)", StringComparison.Ordinal));
        tab.AssertClean();
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task A_key_without_statements_read_is_told_why_and_can_sign_out(int width)
    {
        await using var tab = await world.OpenAsync(output, new ViewportSize { Width = width, Height = 900 });
        await tab.Page.GotoAsync(tab.Url());
        await tab.Page.GetByLabel("API key").FillAsync(await world.KeyAsync("MDDC", "costs:write"));
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();

        await tab.Heading("You cannot see figures").WaitForAsync();
        Assert.Contains("statements:read", await tab.Page.Locator("#view").InnerTextAsync(), StringComparison.Ordinal);
        Assert.False(await tab.Page.Locator("#app-navigation").IsVisibleAsync());
        await AssertAxeCleanAsync(tab.Page);

        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await tab.Page.GetByLabel("API key").WaitForAsync();
        tab.AssertClean();
    }

    /// <summary>The newest financial year, from this one back, whose statement has a figure that is not zero.</summary>
    private static async Task<string> LatestYearWithFiguresAsync(HttpClient api, string council)
    {
        var now = DateTime.UtcNow;
        for (var start = now.Month >= 4 ? now.Year : now.Year - 1; start > 2000; start--)
        {
            var year = $"{start}-{(start + 1) % 100:00}";
            var statement = await api.GetJsonAsync($"/api/v1/councils/{council}/recharge-statements/{year}");
            if (statement.GetProperty("lines").EnumerateArray()
                .Any(l => l.Money("netCost") != 0m || l.Money("share") != 0m || l.Money("paidDirectly") != 0m))
            {
                return year;
            }
        }

        throw new InvalidOperationException("The demo data has no figures for " + council);
    }

    private static async Task AssertAxeCleanAsync(IPage page)
    {
        var result = await page.RunAxe(Wcag22);
        Assert.True(result.Violations.Length == 0,
            string.Join("\n", result.Violations.SelectMany(
                v => v.Nodes.Select(n => $"{v.Id} ({v.Impact}) {v.Help} at {string.Join(" ", n.Target)}"))));
    }
}
