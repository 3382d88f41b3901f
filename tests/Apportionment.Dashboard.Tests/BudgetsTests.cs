using Apportionment.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Apportionment.Dashboard.Tests;

/// <summary>Mid Devon's budgets page against the API's budget monitoring for the same key (demo budgets).</summary>
[Collection(DashboardCollection.Name)]
public sealed class BudgetsTests(DashboardWorld world, ITestOutputHelper output)
{
    [Fact]
    public async Task The_budgets_page_shows_the_monitoring_to_the_penny_with_the_status_in_words()
    {
        var key = await world.ReaderKeyAsync("MDDC");
        var monitoring = await world.Client(key)
            .GetJsonAsync($"/api/v1/councils/MDDC/budget-monitoring/{DashboardWorld.Year}");
        var services = monitoring.GetProperty("services").EnumerateArray().ToList();
        Assert.NotEmpty(services);

        await using var tab = await world.OpenAsync(output);
        await tab.SignInAsync(key);
        await tab.ShowAsync($"#budgets?period={DashboardWorld.Year}", "Budgets");

        var rows = await tab.TableAsync("budgets-services");
        var shares = await tab.TableAsync("budgets-shares");
        Assert.Equal(services.Count, rows.Count);
        for (var i = 0; i < services.Count; i++)
        {
            var s = services[i];
            Assert.Equal(s.Text("serviceName"), rows[i][0]);
            Assert.Equal(s.Money("budget"), DashboardPage.Money(rows[i][1]));
            Assert.Equal(s.Money("actualToDate"), DashboardPage.Money(rows[i][3]));
            Assert.Equal(s.Money("forecastOutturn"), DashboardPage.Money(rows[i][4]));
            Assert.Equal(s.Money("forecastVariance"), DashboardPage.Money(rows[i][5]));
            // The year has ended: overspent or underspent, with the variance as a share of the budget, never "At risk".
            var variance = s.Money("forecastVariance");
            var ofBudget = Math.Round(Math.Abs(variance) * 100m / s.Money("budget"), 1, MidpointRounding.AwayFromZero)
                .ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(
                variance > 0 ? $"Overspent by {ofBudget}%" : variance < 0 ? $"Underspent by {ofBudget}%" : "On budget",
                rows[i][6].Trim());
            Assert.Equal(s.Money("budgetShare"), DashboardPage.Money(shares[i][1]));
            Assert.Equal(s.Money("actualShare"), DashboardPage.Money(shares[i][2]));
            Assert.Equal(s.Money("forecastShare"), DashboardPage.Money(shares[i][3]));
        }

        var totals = monitoring.GetProperty("totals");
        Assert.Equal(totals.Money("budgetShare"), DashboardPage.Money(shares[^1][1]));
        Assert.Equal(totals.Money("forecastShare"), DashboardPage.Money(shares[^1][3]));
        Assert.Equal(totals.Money("forecastVariance"), DashboardPage.Money(shares[^1][4]));
        tab.AssertClean();
    }
}
