using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Apportionment.Dashboard.Tests;

/// <summary>axe-core's WCAG 2.2 A and AA rules on the page as it stands.</summary>
public static class Axe
{
    private static readonly AxeRunOptions Wcag22 = new()
    {
        RunOnly = new RunOnlyOptions
        {
            Type = "tag",
            Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"],
        },
    };

    public static async Task AssertCleanAsync(IPage page, string name)
    {
        var result = await page.RunAxe(Wcag22);
        var failures = result.Violations.SelectMany(
            v => v.Nodes.Select(n => $"{name}: {v.Id} ({v.Impact}) {v.Help} at {string.Join(" ", n.Target)}")).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
