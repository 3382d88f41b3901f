using Apportionment.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Apportionment.Dashboard.Tests;

/// <summary>
/// Officers sign in with their council's own identity provider (a real OpenID provider on loopback, its real login
/// form), see their council's figures as themselves, and sign out there too. A token from one council's issuer never
/// shows another council's figures, and a session that has run out goes back to sign-in.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class SignInWithIssuerTests(DashboardWorld world, ITestOutputHelper output)
{
    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task Alice_signs_in_at_Mid_Devons_provider_sees_its_figures_as_herself_and_signs_out_there_too(
        int width)
    {
        await using var tab = await world.OpenAsync(output, new ViewportSize { Width = width, Height = 900 });
        await tab.SignInWithIssuerAsync("Mid Devon District Council", "alice");
        await tab.ShowAsync($"#overview?period={DashboardWorld.Year}", "Overview");

        Assert.Equal(
            "Mid Devon District Council",
            (await tab.Page.Locator("#view .govuk-caption-l").InnerTextAsync()).Trim());
        Assert.Contains(
            "Signed in as Alice Smith for Mid Devon District Council (MDDC)",
            await tab.Page.Locator("#signed-in-as").InnerTextAsync(),
            StringComparison.Ordinal);
        Assert.True(await tab.Page.Locator("#statement tbody tr").CountAsync() > 0, "Alice sees Mid Devon's statement");
        // The code went through PKCE, the tokens live in this tab's sessionStorage only, and the address keeps no code.
        Assert.Contains(tab.Requests, u => u.Contains("code_challenge=", StringComparison.Ordinal)
            && u.Contains("code_challenge_method=S256", StringComparison.Ordinal));
        Assert.DoesNotContain("code=", new Uri(tab.Page.Url).Query, StringComparison.Ordinal);
        Assert.Equal(0, await tab.Page.EvaluateAsync<int>("() => localStorage.length"));
        Assert.True(await tab.Page
            .EvaluateAsync<bool>("() => Object.keys(sessionStorage).some(k => k.startsWith('oidc.user:'))"));

        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Yes, sign me out" }).ClickAsync();
        await tab.Page.GetByLabel("API key").WaitForAsync();
        Assert.Contains(
            tab.Requests,
            u => u.StartsWith(world.Identity.Issuers["MDDC"] + "/session/end", StringComparison.Ordinal));
        Assert.False(await tab.Page
            .EvaluateAsync<bool>("() => Object.keys(sessionStorage).some(k => k.startsWith('oidc.user:'))"));

        // Signed out at the provider too: signing in again asks for the login form, not a silent return.
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in with Mid Devon District Council" })
            .ClickAsync();
        await tab.Page.Locator("input[name=login]").WaitForAsync();
        tab.AssertClean();
    }

    [Fact]
    public async Task The_page_offers_each_councils_provider_and_may_connect_only_to_them_besides_itself()
    {
        using var anonymous = new HttpClient { BaseAddress = world.BaseUrl };
        var options = await anonymous.GetJsonAsync("/dashboard/sign-in-options");
        var offered = options.GetProperty("issuers").EnumerateArray()
            .Select(i => (i.Text("council"), i.Text("councilName"), i.Text("authority"), i.Text("clientId"))).ToList();
        Assert.Equal(
            [("MDDC", "Mid Devon District Council", world.Identity.Issuers["MDDC"], "dashboard"),
             ("PCC", "Plymouth City Council", world.Identity.Issuers["PCC"], "dashboard")],
            offered);

        using var page = await anonymous.GetAsync("/dashboard/");
        var policy = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains(
            $"connect-src 'self' {world.Identity.Issuers["MDDC"]} {world.Identity.Issuers["PCC"]};",
            policy,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plymouths_officer_sees_only_Plymouth_whatever_the_address_asks_for()
    {
        await using var tab = await world.OpenAsync(output);
        await tab.SignInWithIssuerAsync("Plymouth City Council", "priya");
        await tab.ShowAsync($"#overview?council=MDDC&period={DashboardWorld.Year}", "Overview");

        Assert.Equal(
            "Plymouth City Council",
            (await tab.Page.Locator("#view .govuk-caption-l").InnerTextAsync()).Trim());
        Assert.DoesNotContain(tab.Requests, u => u.Contains("/councils/MDDC", StringComparison.Ordinal));
        tab.AssertClean();
    }

    [Fact]
    public async Task A_token_from_Plymouths_provider_that_names_Mid_Devon_never_shows_Mid_Devons_figures()
    {
        var mddc = await world.Admin.GetJsonAsync($"/api/v1/councils/MDDC/recharge-statements/{DashboardWorld.Year}");
        var share = DashboardPage.Shown(mddc.GetProperty("totals").Money("share"));

        await using var tab = await world.OpenAsync(output);
        await tab.SignInWithIssuerAsync("Plymouth City Council", "mallory");
        await tab.Page.Locator(".govuk-notification-banner").WaitForAsync();

        var text = await tab.Page.Locator("#view").InnerTextAsync();
        Assert.Contains("trusted only for council 'PCC'", text, StringComparison.Ordinal);
        Assert.DoesNotContain(share, text, StringComparison.Ordinal);
        Assert.Equal(0, await tab.Page.Locator("#statement").CountAsync());
        Assert.True(await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).IsVisibleAsync());
    }

    [Fact]
    public async Task An_expired_session_returns_to_sign_in_and_says_why()
    {
        await using var tab = await world.OpenAsync(output);
        await tab.SignInWithIssuerAsync("Mid Devon District Council", "alice");
        await tab.ShowAsync($"#overview?period={DashboardWorld.Year}", "Overview");

        // The stored session as it is an hour later: its access token has expired.
        await tab.Page.EvaluateAsync(@"() => {
            const key = Object.keys(sessionStorage).find(k => k.startsWith('oidc.user:'));
            const user = JSON.parse(sessionStorage.getItem(key));
            user.expires_at = Math.floor(Date.now() / 1000) - 60;
            sessionStorage.setItem(key, JSON.stringify(user));
        }");
        await tab.Page.ReloadAsync();

        await tab.Page.GetByLabel("API key").WaitForAsync();
        Assert.Contains(
            "Your session has ended",
            await tab.Page.Locator("#view").InnerTextAsync(),
            StringComparison.Ordinal);
        Assert.False(await tab.Page
            .EvaluateAsync<bool>("() => Object.keys(sessionStorage).some(k => k.startsWith('oidc.user:'))"));
        Assert.Equal(0, await tab.Page.Locator("#statement").CountAsync());
        tab.AssertClean();
    }

    [Fact]
    public async Task Alices_approval_names_her_in_the_agreement_and_the_audit_trail()
    {
        var proposal = await world.Admin.PostJsonAsync("/api/v1/shared-services/BC-MDND/agreements",
            ApiSteps.FixedSplit("2026-03", ("MDDC", 51m), ("NDC", 49m)));
        var id = proposal.Text("id");

        await using var tab = await world.OpenAsync(output);
        await tab.SignInWithIssuerAsync("Mid Devon District Council", "alice");
        await tab.ShowAsync("#approvals", "Approvals");
        await tab.Page.Locator("section").Filter(new() { HasText = "from March 2026" })
            .GetByRole(AriaRole.Button, new() { Name = "Approve for Mid Devon District Council" }).ClickAsync();
        await tab.Page.Locator(".govuk-notification-banner--success").WaitForAsync();

        var issuerAndSubject = world.Identity.Issuers["MDDC"] + "#alice";
        var agreement = await world.Admin.GetJsonAsync($"/api/v1/shared-services/BC-MDND/agreements/{id}");
        var approval = agreement.GetProperty("approvals").EnumerateArray().Single();
        Assert.Equal(
            ("MDDC", issuerAndSubject, "Alice Smith"),
            (approval.Text("council"), approval.Text("approvedBy"), approval.Text("approvedByName")));
        var audit = await world.Admin.GetJsonAsync("/api/v1/audit?entity=split-agreement&council=MDDC&limit=500");
        var approved = audit.Items().Single(e => e.Text("entityId") == id);
        Assert.Equal((issuerAndSubject, "Alice Smith"), (approved.Text("keyName"), approved.Text("personName")));

        (await world.Admin.DeleteAsync($"/api/v1/shared-services/BC-MDND/agreements/{id}")).EnsureSuccessStatusCode();
        tab.AssertClean();
    }
}
