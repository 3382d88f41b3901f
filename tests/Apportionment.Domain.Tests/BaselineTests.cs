namespace Apportionment.Domain.Tests;

public class BaselineTests
{
    [Fact]
    public void An_annual_baseline_is_spread_with_spare_pennies_in_the_earliest_months()
    {
        // £100,000 / 12 = 8,333.333…: 12 × 8,333.33 leaves 4p, which go to April–July.
        var spread = Baseline.MonthlySpread(100_000.00m);

        Assert.Equal(
            [8_333.34m, 8_333.34m, 8_333.34m, 8_333.34m, 8_333.33m, 8_333.33m, 8_333.33m, 8_333.33m, 8_333.33m,
                8_333.33m, 8_333.33m, 8_333.33m], spread);
        Assert.Equal(100_000.00m, spread.Sum());
    }

    [Theory]
    [InlineData("2024-25", "100000.00")]
    [InlineData("2025-26", "100000.00")]
    [InlineData("2024-25-Q1", "25000.02")]
    [InlineData("2024-25-Q2", "25000.00")]
    [InlineData("2024-25-Q4", "24999.99")]
    [InlineData("2024-04", "8333.34")]
    [InlineData("2025-03", "8333.33")]
    public void A_periods_baseline_is_the_sum_of_its_months(string period, string expected) =>
        Assert.Equal(
            decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            Baseline.ForPeriod(100_000.00m, Period.Parse(period)));

    [Fact]
    public void Baselines_must_be_whole_pennies() =>
        Assert.Throws<ArgumentException>(() => Baseline.MonthlySpread(1_000.005m));
}
