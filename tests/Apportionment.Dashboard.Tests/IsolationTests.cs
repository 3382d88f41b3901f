using System.Globalization;
using System.Text.RegularExpressions;
using Apportionment.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Apportionment.Dashboard.Tests;

/// <summary>A council key never sees another council's figures, whatever the address asks for.</summary>
[Collection(DashboardCollection.Name)]
public sealed partial class IsolationTests(DashboardWorld world, ITestOutputHelper output)
{
    private static readonly string[] Pages = ["overview", "savings", "trends", "budgets", "approvals"];

    [Fact]
    public async Task Mid_Devon_sees_no_other_councils_shares_or_savings_on_any_page()
    {
        var (forbidden, councils) = await OtherCouncilsFiguresAsync();
        await using var tab = await world.OpenAsync(output);
        await tab.SignInAsync(await world.ApproverKeyAsync("MDDC"));
        foreach (var page in Pages)
        {
            await tab.ShowAsync($"#{page}?period={DashboardWorld.Year}", char.ToUpperInvariant(page[0]) + page[1..]);
            var text = await tab.Page.Locator("#view").InnerTextAsync();
            var seen = forbidden.Where(f => text.Contains(f.Shown, StringComparison.Ordinal)).ToList();
            Assert.True(
                seen.Count == 0,
                $"#{page} shows other councils' figures: {string.Join("; ", seen.Select(s => s.What))}");
        }

        var otherCouncilReads = tab.Requests
            .Where(u => CouncilRead().Match(u) is { Success: true } m && m.Groups[1].Value != "MDDC")
            .ToList();
        Assert.Empty(otherCouncilReads);
        Assert.NotEmpty(councils);
        tab.AssertClean();
    }

    [Fact]
    public async Task Asking_for_another_council_in_the_address_still_shows_only_the_keys_own_council()
    {
        await using var tab = await world.OpenAsync(output);
        await tab.SignInAsync(await world.ReaderKeyAsync("MDDC"));
        await tab.ShowAsync($"#overview?council=PCC&period={DashboardWorld.Year}", "Overview");

        Assert.Equal(
            "Mid Devon District Council",
            (await tab.Page.Locator("#view .govuk-caption-l").InnerTextAsync()).Trim());
        Assert.DoesNotContain(tab.Requests, u => u.Contains("/councils/PCC", StringComparison.Ordinal));
        Assert.Equal(0, await tab.Page.Locator("select#council").CountAsync());
        tab.AssertClean();
    }

    /// <summary>
    /// Every share, payment and saving of the councils other than Mid Devon, less any figure Mid Devon may see itself.
    /// </summary>
    private async Task<(List<(string Shown, string What)> Forbidden, List<string> Councils)> OtherCouncilsFiguresAsync()
    {
        var councils = (await world.Admin.GetJsonAsync("/api/v1/councils?limit=500")).Items()
            .Select(c => c.Text("code"))
            .Where(c => c != "MDDC")
            .ToList();
        var mine = await world.Admin.GetJsonAsync($"/api/v1/councils/MDDC/recharge-statements/{DashboardWorld.Year}");
        var allowed = new HashSet<decimal>();
        foreach (var line in mine.GetProperty("lines").EnumerateArray())
        {
            allowed.UnionWith(
                [line.Money("netCost"), line.Money("share"), line.Money("paidDirectly"), line.Money("balance")]);
            var settlement = await world.Admin
                .GetJsonAsync($"/api/v1/shared-services/{line.Text("service")}/settlements/{DashboardWorld.Year}");
            allowed.UnionWith(settlement.GetProperty("transfers").EnumerateArray().Select(t => t.Money("amount")));
            var cumulative = await world.Admin
                .GetJsonAsync($"/api/v1/shared-services/{line.Text("service")}/savings?to={DashboardWorld.Year}");
            var own = cumulative.GetProperty("councils").EnumerateArray().Single(c => c.Text("council") == "MDDC");
            allowed.UnionWith([own.Money("baseline"), own.Money("share"), own.Money("saving")]);
        }

        // Mid Devon's own savings: its baselines can equal a partner's by coincidence (Torridge's £150,000 for audit).
        var mySavings = await world.Admin.GetJsonAsync($"/api/v1/councils/MDDC/savings/{DashboardWorld.Year}");
        allowed.UnionWith(mySavings.GetProperty("services").EnumerateArray()
            .SelectMany(l => new[] { l.Money("baseline"), l.Money("share"), l.Money("saving") }));
        var myTotals = mySavings.GetProperty("totals");
        allowed.UnionWith([myTotals.Money("baseline"), myTotals.Money("share"), myTotals.Money("saving")]);

        var forbidden = new List<(string, string)>();
        foreach (var council in councils)
        {
            var statement = await world.Admin
                .GetJsonAsync($"/api/v1/councils/{council}/recharge-statements/{DashboardWorld.Year}");
            foreach (var line in statement.GetProperty("lines").EnumerateArray())
            {
                Add(line.Money("share"), $"{council} share of {line.Text("service")}");
                Add(line.Money("paidDirectly"), $"{council} paid directly to {line.Text("service")}");
            }

            var savings = await world.Admin.GetJsonAsync($"/api/v1/councils/{council}/savings/{DashboardWorld.Year}");
            foreach (var line in savings.GetProperty("services").EnumerateArray())
            {
                Add(line.Money("baseline"), $"{council} baseline for {line.Text("service")}");
                Add(line.Money("saving"), $"{council} saving on {line.Text("service")}");
            }
        }

        return (forbidden, councils);

        void Add(decimal amount, string what)
        {
            if (amount != 0 && !allowed.Contains(amount))
            {
                forbidden.Add(("£" + Math.Abs(amount).ToString("#,##0.00", CultureInfo.InvariantCulture), what));
            }
        }
    }

    [GeneratedRegex("/api/v1/councils/([^/?]+)/")]
    private static partial Regex CouncilRead();
}
