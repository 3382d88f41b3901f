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
        // The councils' identity providers are the only other hosts the tab may reach, and only to sign in or out.
        var issuers = world.Identity.Issuers.Values.Select(i => i + "/").ToList();
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
            if (url.StartsWith(origin + "/", StringComparison.Ordinal)
                || url.StartsWith("blob:" + origin, StringComparison.Ordinal)
                || issuers.Any(i => url.StartsWith(i, StringComparison.Ordinal)))
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
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Heading("Overview").WaitForAsync();
    }

    /// <summary>
    /// Signs in as a council's officer through that council's identity provider: its login form, then consent.
    /// </summary>
    public async Task SignInWithIssuerAsync(string councilName, string login)
    {
        await Page.GotoAsync(Url());
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Sign in with {councilName}" }).ClickAsync();
        await Page.Locator("input[name=login]").FillAsync(login);
        await Page.Locator("input[name=password]").FillAsync("any password");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign-in" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        // Back with a code: wait until the page has exchanged it and shown its first screen.
        await Page.WaitForURLAsync(
            url => url.StartsWith(Url(), StringComparison.Ordinal) && !url.Contains("code=", StringComparison.Ordinal));
        await Page.WaitForFunctionAsync("() => !document.getElementById('view').hasAttribute('aria-busy')");
    }

    /// <summary>
    /// Goes to a page (#overview, #savings?period=2025-26…) and waits until its figures are on screen.
    /// </summary>
    public async Task ShowAsync(string hash, string heading)
    {
        await Page.GotoAsync(Url(hash));
        try
        {
            await Heading(heading).WaitForAsync();
        }
        catch (TimeoutException)
        {
            output.WriteLine(
                $"At {Page.Url}: {await Page.Locator("body").InnerTextAsync()}\n{string.Join("\n", Problems)}");
            throw;
        }

        await Page.WaitForFunctionAsync("() => !document.getElementById('view').hasAttribute('aria-busy')");
    }

    public ILocator Heading(string startsWith) =>
        Page.Locator("#view h1").Filter(new()
        {
            HasTextRegex = new System.Text.RegularExpressions.Regex(
            "^" + System.Text.RegularExpressions.Regex.Escape(startsWith))
        });

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

    /// <summary>
    /// "£1,234.56", "-£24,034.04", "Owes £1.00", "Is owed £2.00" or "Square" as shown, back to the decimal the API
    /// sent.
    /// </summary>
    public static decimal Money(string shown)
    {
        if (shown == "Square")
        {
            return 0m;
        }

        if (shown.StartsWith("Is owed ", StringComparison.Ordinal))
        {
            return -Money(shown["Is owed ".Length..]);
        }

        shown = shown.StartsWith("Owes ", StringComparison.Ordinal) ? shown["Owes ".Length..] : shown;
        var negative = shown.StartsWith('-') || shown.StartsWith('−');
        var digits = shown.TrimStart('-', '−').Replace("£", "", StringComparison.Ordinal)
            .Replace(",", "", StringComparison.Ordinal);
        var value = decimal.Parse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return negative ? -value : value;
    }

    /// <summary>A decimal as the page shows money: £1,234.56.</summary>
    public static string Shown(decimal amount) =>
        (amount < 0 ? "-£" : "£") + Math.Abs(amount).ToString("#,0.00", CultureInfo.InvariantCulture);

    /// <summary>
    /// No console error, no page error, no request off the origin: the test fails with what was seen.
    /// </summary>
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
