using Apportionment.Api.Tests.Infrastructure;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Apportionment.Dashboard.Tests;

/// <summary>axe-core finds no WCAG 2.2 A or AA violation on any page, on a desktop and on a 375-px phone.</summary>
[Collection(DashboardCollection.Name)]
public sealed class AccessibilityTests(DashboardWorld world, ITestOutputHelper output)
{
    private static readonly AxeRunOptions Wcag22 = new()
    {
        RunOnly = new RunOnlyOptions
        {
            Type = "tag",
            Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
        },
    };

    public static TheoryData<int> Widths => new() { 1280, 375 };

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task Every_page_has_no_axe_violations(int width)
    {
        // A proposal waiting for Mid Devon, so the approvals page shows its full form.
        var proposal = await world.Admin.PostJsonAsync("/api/v1/shared-services/BC-MDND/agreements",
            ApiSteps.FixedSplit("2026-03", ("MDDC", 50m), ("NDC", 50m)));
        await using var tab = await world.OpenAsync(output, new ViewportSize { Width = width, Height = 900 });
        var failures = new List<string>();

        await tab.Page.GotoAsync(tab.Url());
        await tab.Page.GetByLabel("API key").WaitForAsync();
        await Check(tab.Page, "sign-in", failures);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await tab.Page.Locator(".govuk-error-summary").WaitForAsync();
        await Check(tab.Page, "sign-in with an error", failures);

        await tab.SignInAsync(await world.ApproverKeyAsync("MDDC"));
        foreach (var (page, heading) in new[] {
            ("overview", "Overview"),
            ("savings", "Savings"),
            ("trends", "Trends"),
            ("budgets", "Budgets"),
            ("approvals", "Approvals"),
            ("review", "Review pack") })
        {
            await tab.ShowAsync($"#{page}?period={DashboardWorld.Year}", heading);
            await Check(tab.Page, page, failures);
        }

        (await world.Admin.DeleteAsync($"/api/v1/shared-services/BC-MDND/agreements/{proposal.Text("id")}"))
            .EnsureSuccessStatusCode();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        tab.AssertClean();
    }

    private static async Task Check(IPage page, string name, List<string> failures)
    {
        var result = await page.RunAxe(Wcag22);
        failures.AddRange(result.Violations.SelectMany(
            v => v.Nodes.Select(n => $"{name}: {v.Id} ({v.Impact}) {v.Help} at {string.Join(" ", n.Target)}")));
    }
}
