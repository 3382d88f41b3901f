using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Apportionment.Dashboard.Tests;

/// <summary>
/// On a 375-px phone every table's figures can be reached: a table wider than the screen sits in a labelled region
/// that takes the keyboard focus and scrolls sideways, with a cue saying so; nothing else makes the page wider.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class PhoneTablesTests(DashboardWorld world, ITestOutputHelper output)
{
    private static readonly (string Page, string Heading)[] Pages =
        [("overview", "Overview"), ("savings", "Savings"), ("trends", "Trends"), ("budgets", "Budgets"),
            ("review", "Review pack")];

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task The_statement_balance_column_can_be_reached(int width)
    {
        await using var tab = await world.OpenAsync(output, new ViewportSize { Width = width, Height = 800 });
        await tab.SignInAsync(await world.ReaderKeyAsync("MDDC"));
        await tab.ShowAsync($"#overview?period={DashboardWorld.Year}", "Overview");
        var region = tab.Page.Locator(".app-table-wrapper").Filter(new() { Has = tab.Page.Locator("#statement") });
        var balance = region.Locator("thead th").Last;
        Assert.Equal("Balance", await balance.InnerTextAsync());
        Assert.Equal("0", await region.GetAttributeAsync("tabindex"));
        Assert.Equal("region", await region.GetAttributeAsync("role"));
        Assert.False(string.IsNullOrEmpty(await region.GetAttributeAsync("aria-label")));
        var cue = tab.Page.Locator($"#{await region.GetAttributeAsync("aria-describedby")}");

        if (width == 1280)
        {
            // A desktop shows the whole table: no cue, the last column on screen.
            Assert.False(await cue.IsVisibleAsync());
            Assert.True(await OnScreenAsync(balance, width));
        }
        else
        {
            Assert.True(await cue.IsVisibleAsync());
            Assert.Contains("Scroll the table sideways", await cue.InnerTextAsync(), StringComparison.Ordinal);
            Assert.False(await OnScreenAsync(balance, width));
            // The keyboard scrolls it: focus the region, then the right arrow key.
            await region.FocusAsync();
            for (var i = 0; i < 40 && !await OnScreenAsync(balance, width); i++)
            {
                await tab.Page.Keyboard.PressAsync("ArrowRight");
            }

            Assert.True(await OnScreenAsync(balance, width), "The right arrow key did not bring Balance on screen.");
            Assert.True(await region.EvaluateAsync<int>("r => r.scrollLeft") > 0);
            Assert.True(await OnScreenAsync(region.Locator("tbody tr").Last.Locator("td").Last, width));
        }

        await Axe.AssertCleanAsync(tab.Page, $"overview at {width}");
        tab.AssertClean();
    }

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task Every_table_fits_or_scrolls_in_its_own_region_with_a_cue(int width)
    {
        await using var tab = await world.OpenAsync(output, new ViewportSize { Width = width, Height = 800 });
        await tab.SignInAsync(await world.ReaderKeyAsync("MDDC"));
        foreach (var (page, heading) in Pages)
        {
            await tab.ShowAsync($"#{page}?period={DashboardWorld.Year}", heading);
            Assert.True(
                await tab.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= width,
                $"The {page} page is wider than {width} px: only a table's own region may scroll sideways.");
            var regions = tab.Page.Locator(".app-table-wrapper");
            Assert.True(await regions.CountAsync() > 0, $"No table on {page}");
            for (var i = 0; i < await regions.CountAsync(); i++)
            {
                var region = regions.Nth(i);
                var scrolls = await region.EvaluateAsync<bool>("r => r.scrollWidth > r.clientWidth + 1");
                var cue = tab.Page.Locator($"#{await region.GetAttributeAsync("aria-describedby")}");
                Assert.Equal(scrolls, await cue.IsVisibleAsync());
                Assert.Equal("0", await region.GetAttributeAsync("tabindex"));
            }

            await Axe.AssertCleanAsync(tab.Page, $"{page} at {width}");
        }

        tab.AssertClean();
    }

    private static async Task<bool> OnScreenAsync(ILocator cell, int width)
    {
        var box = await cell.BoundingBoxAsync();
        return box is not null && box.X >= 0 && box.X + box.Width <= width + 0.5;
    }
}
