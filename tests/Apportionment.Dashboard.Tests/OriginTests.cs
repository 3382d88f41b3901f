using Xunit.Abstractions;

namespace Apportionment.Dashboard.Tests;

/// <summary>
/// The tab asks nothing of any host but the service, except the council's own identity provider while signing in
/// (discovery, the login form, the token exchange) and signing out; once the figures are on screen, every request
/// goes to the service alone. Requests elsewhere are refused by the test tab and recorded (DashboardPage).
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class OriginTests(DashboardWorld world, ITestOutputHelper output)
{
    [Fact]
    public async Task No_request_leaves_the_origin_except_to_the_councils_issuer_while_signing_in()
    {
        await using var tab = await world.OpenAsync(output);
        var origin = world.BaseUrl.GetLeftPart(UriPartial.Authority) + "/";
        var issuer = world.Identity.Issuers["MDDC"] + "/";
        await tab.SignInWithIssuerAsync("Mid Devon District Council", "alice");
        var signedIn = tab.Requests.Count;
        Assert.Contains(tab.Requests, u => u.StartsWith(issuer, StringComparison.Ordinal));
        Assert.All(tab.Requests, u => Assert.True(
            u.StartsWith(origin, StringComparison.Ordinal) || u.StartsWith(issuer, StringComparison.Ordinal),
            $"While signing in the tab asked {u}"));

        foreach (var (page, heading) in new[] {
            ("overview", "Overview"), ("postings", "Behind the figures"), ("savings", "Savings"), ("trends", "Trends"),
            ("budgets", "Budgets"), ("approvals", "Approvals"), ("review", "Review pack") })
        {
            await tab.ShowAsync($"#{page}?period={DashboardWorld.Year}", heading);
        }

        var browsing = tab.Requests.Skip(signedIn).ToList();
        Assert.True(browsing.Count > 10, "Every page read its figures.");
        Assert.All(browsing, u => Assert.True(
            u.StartsWith(origin, StringComparison.Ordinal), $"After signing in the tab asked {u}"));
        tab.AssertClean();
    }
}
