namespace Apportionment.Domain.Tests.Properties;

public class BaselineProperties
{
    private static readonly Gen<decimal> Annual = Gen.OneOf(
        Gen.Long[-2_400, 2_400],
        Gen.Long[-1_000_000_000_00L, 1_000_000_000_00L]).Select(p => p * 0.01m);

    [Fact]
    public void The_twelve_months_sum_exactly_to_the_annual_baseline() =>
        Annual.Sample(
            annual =>
            {
                var spread = Baseline.MonthlySpread(annual);
                Assert.Equal(12, spread.Count);
                Assert.Equal(annual, spread.Sum());
                Assert.All(spread, m => Assert.True(Math.Abs(m - (annual / 12m)) < 0.01m));

                // Spare pennies go to the earliest months, so amounts never grow later in the year.
                for (var i = 1; i < 12; i++)
                {
                    Assert.True(Math.Abs(spread[i]) <= Math.Abs(spread[i - 1]));
                }
            },
            iter: Generators.Iterations);

    [Fact]
    public void The_four_quarters_make_up_the_year() =>
        Gen.Select(Annual, Gen.Int[2000, 2100]).Sample(
            (annual, year) =>
            {
                var quarters = Enumerable.Range(1, 4).Sum(q => Baseline.ForPeriod(annual, Period.Quarter(year, q)));
                Assert.Equal(annual, quarters);
                Assert.Equal(annual, Baseline.ForPeriod(annual, Period.FinancialYear(year)));
            },
            iter: Generators.Iterations);
}
