using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Apportionment.Dashboard.Tests;

/// <summary>
/// A finance officer who uses no mouse: sign in, move between pages, change the period, download the CSV and sign out
/// with Tab, arrow keys and Enter alone. Also where the key is kept: the tab's sessionStorage, nowhere else.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class KeyboardTests(DashboardWorld world, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_page_works_by_keyboard_alone()
    {
        var key = await world.ReaderKeyAsync("MDDC");
        await using var tab = await world.OpenAsync(output);
        var page = tab.Page;
        await page.GotoAsync(tab.Url($"#overview?period={DashboardWorld.Year}"));
        await page.GetByLabel("API key").WaitForAsync();

        Assert.Equal("Skip to main content", await TabToAsync(page, "Skip to main content"));
        await TabToAsync(page, "API key");
        await page.Keyboard.TypeAsync(key);
        await page.Keyboard.PressAsync("Enter");
        await tab.Heading($"Overview: {DashboardWorld.Year}").WaitForAsync();
        Assert.Equal("H1", await page.EvaluateAsync<string>("() => document.activeElement.tagName"));

        // The period: arrow to the year's first quarter, then the button.
        await TabToAsync(page, "Financial year or quarter");
        await page.Keyboard.PressAsync("ArrowDown");
        await TabToAsync(page, "Show figures");
        await page.Keyboard.PressAsync("Enter");
        await tab.Heading($"Overview: {DashboardWorld.Year}-Q1").WaitForAsync();

        await TabToAsync(page, "Download statement CSV");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Keyboard.PressAsync("Enter"));
        Assert.Equal($"recharge-statement-MDDC-{DashboardWorld.Year}-Q1.csv", download.SuggestedFilename);

        foreach (var (link, heading) in new[] {
            ("Savings", "Savings"),
            ("Trends", "Trends"),
            ("Budgets", "Budgets"),
            ("Approvals", "Approvals"),
            ("Overview", "Overview") })
        {
            await page.Locator("#view h1").FocusAsync();
            await TabToAsync(page, link, backwards: true);
            await page.Keyboard.PressAsync("Enter");
            await tab.Heading(heading).WaitForAsync();
            Assert.Equal("H1", await page.EvaluateAsync<string>("() => document.activeElement.tagName"));
        }

        await page.Locator("#view h1").FocusAsync();
        await TabToAsync(page, "Sign out", backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await page.GetByLabel("API key").WaitForAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('apportionment.apiKey')"));
        tab.AssertClean();
    }

    [Fact]
    public async Task The_key_is_kept_in_session_storage_only_never_in_the_address_or_a_cookie()
    {
        var key = await world.ReaderKeyAsync("MDDC");
        await using var tab = await world.OpenAsync(output);
        await tab.SignInAsync(key);
        await tab.ShowAsync($"#savings?period={DashboardWorld.Year}", "Savings");

        Assert.Equal(key, await tab.Page.EvaluateAsync<string>("() => sessionStorage.getItem('apportionment.apiKey')"));
        Assert.Equal(0, await tab.Page.EvaluateAsync<int>("() => localStorage.length"));
        Assert.Empty(await tab.Page.Context.CookiesAsync());
        Assert.DoesNotContain(tab.Requests, u => u.Contains(key, StringComparison.Ordinal));
        Assert.DoesNotContain(key, tab.Page.Url, StringComparison.Ordinal);

        // A new tab of the same browser does not inherit the key: it asks to sign in.
        var other = await tab.Page.Context.NewPageAsync();
        await other.GotoAsync(tab.Url());
        await other.GetByLabel("API key").WaitForAsync();
        tab.AssertClean();
    }

    /// <summary>Presses Tab (or Shift+Tab) until the focused element is the one named, and returns its name.</summary>
    private static async Task<string> TabToAsync(IPage page, string name, bool backwards = false)
    {
        for (var i = 0; i < 80; i++)
        {
            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
            var focused = await page.EvaluateAsync<string>(
                "() => { const e = document.activeElement; return (e.labels && e.labels[0] ? e.labels[0].textContent : "
                    + "e.textContent || '').trim(); }");
            if (focused == name)
            {
                return focused;
            }
        }

        throw new InvalidOperationException($"Tab never reached '{name}'.");
    }
}
