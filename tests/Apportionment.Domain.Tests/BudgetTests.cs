namespace Apportionment.Domain.Tests;

public class BudgetTests
{
    [Fact]
    public void Ten_percent_a_year_from_one_and_a_half_million()
    {
        var target = new ReductionTarget(10m, 2024);
        Assert.Equal(1_500_000.00m, target.For(2024, 1_500_000m));
        Assert.Equal(1_350_000.00m, target.For(2025, 1_500_000m));
        Assert.Equal(1_215_000.00m, target.For(2026, 1_500_000m));
        // Rounding bites on odd pennies: £100.01 less 3.33% is £96.679667, so the target is £96.68.
        Assert.Equal(96.68m, new ReductionTarget(3.33m, 2024).For(2025, 100.01m));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(10.001)]
    public void A_reduction_outside_zero_to_a_hundred_is_refused(decimal percent) =>
        Assert.True(ReductionTarget.Validate(percent).ContainsKey("reductionPercent"));

    [Fact]
    public void A_flat_profile_gives_the_spare_pennies_to_the_earliest_months()
    {
        var profile = BudgetProfile.Flat(100.05m);
        Assert.Equal([8.34m, 8.34m, 8.34m, 8.34m, 8.34m, 8.34m, 8.34m, 8.34m, 8.34m, 8.33m, 8.33m, 8.33m], profile);
    }

    [Theory]
    [InlineData(0, 0, BudgetStatus.OnTrack)]
    [InlineData(1000, -5, BudgetStatus.OnTrack)]
    [InlineData(1000, 0.01, BudgetStatus.AtRisk)]
    [InlineData(1000, 20, BudgetStatus.AtRisk)]
    [InlineData(1000, 20.01, BudgetStatus.Over)]
    [InlineData(-1000, 20.01, BudgetStatus.Over)]
    public void Status_follows_the_forecast_variance_as_a_share_of_the_budget(
        decimal budget,
        decimal variance,
        BudgetStatus expected) =>
        Assert.Equal(expected, new BudgetThresholds().StatusOf(budget, variance));

    [Fact]
    public void A_driver_month_without_figures_has_no_unit_cost_rather_than_zero()
    {
        var rule = new AgreementInForce(Guid.NewGuid(), SplitRule.ByDriver("hours", ["A", "B"]));
        var april = new Dictionary<string, decimal> { ["A"] = 30m, ["B"] = 10m };
        var report = UnitCosts.For("SVC", Period.Quarter(2025, 1), "hours",
        [
            new(new ServiceMonthInput(new Month(2025, 4), 400m, rule, april), april),
            new(new ServiceMonthInput(new Month(2025, 5), 500m, rule, null), null),
        ]);

        Assert.Equal(10m, report.Months[0].Service.CostPerUnit);
        Assert.Equal(10m, report.Months[0].Councils.Single(c => c.Council == "A").Cost.CostPerUnit);
        var may = report.Months[1];
        Assert.Null(may.Service.CostPerUnit);
        Assert.Contains("No hours figures", may.Service.Reason, StringComparison.Ordinal);
        Assert.All(may.Councils, c => Assert.Null(c.Cost.CostPerUnit));
        Assert.Equal(10m, report.Service.CostPerUnit);
        Assert.Contains("2025-05", report.Service.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Budget_shares_of_a_driver_split_follow_the_latest_figures_before_any_are_returned()
    {
        var rule = new AgreementInForce(Guid.NewGuid(), SplitRule.ByDriver("hours", ["A", "B"]));
        var months = Period.FinancialYear(2025).Months
            .Select(m => new ServiceMonthInput(
                m,
                0m,
                rule,
                m == new Month(2025, 5) ? new Dictionary<string, decimal> { ["A"] = 3m, ["B"] = 1m } : null))
            .ToList();
        var shares = BudgetShares.Apportion("SVC", Period.FinancialYear(2025), BudgetProfile.Flat(1200m), months);
        Assert.Equal([50m, 50m], shares.Months[0].Allocations.Select(a => a.Amount));
        Assert.Equal([75m, 25m], shares.Months[1].Allocations.Select(a => a.Amount));
        Assert.Equal([75m, 25m], shares.Months[11].Allocations.Select(a => a.Amount));
        Assert.Equal(1200m, shares.NetCost);
    }
}
