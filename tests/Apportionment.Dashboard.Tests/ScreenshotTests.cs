using Apportionment.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Apportionment.Dashboard.Tests;

/// <summary>
/// Every page as Mid Devon sees 2025-26 on the demo data, desktop (1280 px) and phone (375 px), full page, with the
/// sign-in page and the council identity provider's own login form. scripts/dashboard-screenshots.sh runs this alone
/// with DASHBOARD_SCREENSHOTS_DIR=docs/dashboard; otherwise the pictures go to a temporary folder and the test checks
/// that each page drew its figures.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ScreenshotTests(DashboardWorld world, ITestOutputHelper output)
{
    private static readonly (string Name, string Hash, string Heading, string Figures)[] Pages =
    [
        ("overview", "#overview", "Overview", "#statement"),
        ("drill-down", "#postings?service=BC-MDND", "Behind the figures", "#postings"),
        ("savings", "#savings", "Savings", "table"),
        ("trends", "#trends", "Trends", "table"),
        ("budgets", "#budgets", "Budgets", "table"),
        ("approvals", "#approvals", "Approvals", "h2"),
        ("review", "#review", "Review pack", "#review-method"),
    ];

    [Theory]
    [InlineData("desktop", 1280)]
    [InlineData("phone", 375)]
    public async Task Every_page_is_pictured(string size, int width)
    {
        var folder = Environment.GetEnvironmentVariable("DASHBOARD_SCREENSHOTS_DIR")
            ?? Directory.CreateTempSubdirectory("dashboard-screenshots").FullName;
        Directory.CreateDirectory(folder);
        var proposal = await world.Admin.PostJsonAsync("/api/v1/shared-services/BC-MDND/agreements",
            ApiSteps.FixedSplit("2026-03", ("MDDC", 52m), ("NDC", 48m)));
        await using var tab = await world.OpenAsync(output, new ViewportSize { Width = width, Height = 812 });
        var written = new List<string>();
        async Task Picture(string name)
        {
            var path = Path.Combine(folder, $"{name}-{size}.png");
            await tab.Page.ScreenshotAsync(new() { Path = path, FullPage = true });
            written.Add(path);
        }

        try
        {
            await tab.Page.GotoAsync(tab.Url());
            await tab.Page.GetByLabel("API key").WaitForAsync();
            await Picture("sign-in");
            await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in with Mid Devon District Council" })
                .ClickAsync();
            await tab.Page.Locator("input[name=login]").WaitForAsync();
            await Picture("issuer-sign-in");

            await tab.SignInAsync(await world.ApproverKeyAsync("MDDC"));
            foreach (var (name, hash, heading, figures) in Pages)
            {
                var join = hash.Contains('?', StringComparison.Ordinal) ? '&' : '?';
                await tab.ShowAsync($"{hash}{join}period={DashboardWorld.Year}", heading);
                Assert.True(await tab.Page.Locator($"#view {figures}").CountAsync() > 0, $"{name} has no {figures}");
                await Picture(name);
            }
        }
        finally
        {
            (await world.Admin.DeleteAsync($"/api/v1/shared-services/BC-MDND/agreements/{proposal.Text("id")}"))
                .EnsureSuccessStatusCode();
        }

        Assert.All(written, path => Assert.True(new FileInfo(path).Length > 10_000, $"{path} is nearly empty"));
        output.WriteLine(string.Join("\n", written));
    }
}
