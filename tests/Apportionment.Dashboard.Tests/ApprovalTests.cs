using Apportionment.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Apportionment.Dashboard.Tests;

/// <summary>A proposed split waiting for West Devon, approved through the page and read back through the API.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ApprovalTests(DashboardWorld world, ITestOutputHelper output)
{
    private const string Service = "SHWD-IT";

    [Fact]
    public async Task Approving_through_the_page_records_the_approval_in_the_api()
    {
        var proposal = await world.Admin.PostJsonAsync($"/api/v1/shared-services/{Service}/agreements",
            ApiSteps.FixedSplit("2026-02", ("SHDC", 55m), ("WDBC", 45m)));
        var id = proposal.Text("id");

        await using var tab = await world.OpenAsync(output);
        await tab.SignInAsync(await world.ApproverKeyAsync("WDBC"));
        await tab.ShowAsync("#approvals", "Approvals");
        var section = tab.Page.Locator("section").Filter(new() { HasText = "from February 2026" });

        // What West Devon would pay, from the proposal impact read: its own row only.
        var impact = await world.Client(await world.ApproverKeyAsync("WDBC"))
            .GetJsonAsync($"/api/v1/shared-services/{Service}/agreements/{id}/impact/2025-26");
        var own = impact.GetProperty("councils").EnumerateArray().Single(c => c.Text("council") == "WDBC");
        var shown = await tab.TableAsync($"impact-{id}");
        Assert.Equal(
            [own.Money("current"), own.Money("proposed"), own.Money("difference")],
            shown.Select(r => DashboardPage.Money(r[1])));

        await section.GetByRole(AriaRole.Button, new() { Name = "Approve for West Devon Borough Council" })
            .ClickAsync();
        await Assertions.Expect(tab.Page.Locator(".govuk-notification-banner--success"))
            .ToContainTextAsync("Still waiting for South Hams District Council");

        var agreement = await world.Admin.GetJsonAsync($"/api/v1/shared-services/{Service}/agreements/{id}");
        Assert.Equal("proposed", agreement.Text("status"));
        Assert.Equal(["WDBC"], agreement.GetProperty("approvals").EnumerateArray().Select(a => a.Text("council")));
        Assert.Equal(["SHDC"], agreement.GetProperty("awaitingApproval").EnumerateArray().Select(a => a.GetString()));

        // Withdrawn again so the demo world the other tests read is as it was.
        (await world.Admin.DeleteAsync($"/api/v1/shared-services/{Service}/agreements/{id}")).EnsureSuccessStatusCode();
        tab.AssertClean();
    }

    [Fact]
    public async Task A_key_without_agreements_approve_sees_the_proposal_but_no_approve_button()
    {
        var proposal = await world.Admin.PostJsonAsync($"/api/v1/shared-services/{Service}/agreements",
            ApiSteps.FixedSplit("2026-03", ("SHDC", 52m), ("WDBC", 48m)));

        await using var tab = await world.OpenAsync(output);
        await tab.SignInAsync(await world.ReaderKeyAsync("WDBC"));
        await tab.ShowAsync("#approvals", "Approvals");
        await Assertions.Expect(tab.Page.Locator("section").Filter(new() { HasText = "from March 2026" }))
            .ToBeVisibleAsync();
        Assert.Equal(0, await tab.Page.GetByRole(
            AriaRole.Button,
            new() { NameRegex = new System.Text.RegularExpressions.Regex("^Approve") }).CountAsync());
        await Assertions.Expect(tab.Page.Locator(".govuk-inset-text").First).ToContainTextAsync("agreements:approve");

        (await world.Admin.DeleteAsync($"/api/v1/shared-services/{Service}/agreements/{proposal.Text("id")}"))
            .EnsureSuccessStatusCode();
        tab.AssertClean();
    }
}
