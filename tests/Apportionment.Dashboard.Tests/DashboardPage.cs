using System.Globalization;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Apportionment.Dashboard.Tests;

/// <summary>
/// One browser tab on the dashboard, driven as a finance officer would. It records console errors, page errors and
/// every request that would leave the service's origin (those are refused, never sent), so each test can check it
/// saw none.
/// </summary>
public sealed class DashboardPage : IAsyncDisposable
{
    private readonly DashboardWorld world;
    private readonly IBrowserContext context;
    private readonly ITestOutputHelper output;

    public DashboardPage(DashboardWorld world, IBrowserContext context, IPage page, ITestOutputHelper output)
    {
        this.world = world;
        this.context = context;
        this.output = output;
        Page = page;
        var origin = world.BaseUrl.GetLeftPart(UriPartial.Authority);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Problems.Add($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => Problems.Add($"page error: {error}");
        context.RouteAsync("**/*", async route =>
        {
            var url = route.Request.Url;
            Requests.Add(url);
            if (url.StartsWith(origin + "/", StringComparison.Ordinal) || url.StartsWith("blob:" + origin, StringComparison.Ordinal))
            {
                await route.ContinueAsync();
                return;
            }

            Problems.Add($"request leaving the origin: {url}");
            await route.AbortAsync();
        }).GetAwaiter().GetResult();
    }

    public IPage Page { get; }

    /// <summary>Every URL the tab asked for, in order.</summary>
    public List<string> Requests { get; } = [];

    public List<string> Problems { get; } = [];

    public string Url(string hash = "") => new Uri(world.BaseUrl, "/dashboard/" + hash).ToString();

    public async Task SignInAsync(string key)
    {
        await Page.GotoAsync(Url());
        await Page.GetByLabel("API key").FillAsync(key);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Heading("Overview").WaitForAsync();
    }

    /// <summary>Goes to a page (#overview, #savings?period=2025-26…) and waits until its figures are on screen.</summary>
    public async Task ShowAsync(string hash, string heading)
    {
        await Page.GotoAsync(Url(hash));
        await Heading(heading).WaitForAsync();
        await Page.WaitForFunctionAsync("() => !document.getElementById('view').hasAttribute('aria-busy')");
    }

    public ILocator Heading(string startsWith) =>
        Page.Locator("#view h1").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(startsWith)) });

    /// <summary>The rows of a table as cell texts (header cell first).</summary>
    public async Task<List<string[]>> TableAsync(string id)
    {
        var rows = Page.Locator($"#{id} tbody tr");
        var result = new List<string[]>();
        for (var i = 0; i < await rows.CountAsync(); i++)
        {
            result.Add((await rows.Nth(i).Locator("th, td").AllInnerTextsAsync()).Select(t => t.Trim()).ToArray());
        }

        return result;
    }

    /// <summary>"£1,234.56" or "-£24,034.04" as shown, back to the decimal the API sent.</summary>
    public static decimal Money(string shown)
    {
        var negative = shown.StartsWith('-') || shown.StartsWith('−');
        var digits = shown.TrimStart('-', '−').Replace("£", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
        var value = decimal.Parse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return negative ? -value : value;
    }

    /// <summary>No console error, no page error, no request off the origin: the test fails with what was seen.</summary>
    public void AssertClean()
    {
        foreach (var problem in Problems)
        {
            output.WriteLine(problem);
        }

        Assert.True(Problems.Count == 0, "The page reported problems:\n" + string.Join("\n", Problems));
    }

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}
