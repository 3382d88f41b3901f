namespace Apportionment.Domain.Tests;

public sealed class CumulativeSavingsTests
{
    private static ServiceApportionment Year(int start, decimal shdc, decimal wdbc) =>
        Apportioner.Apportion("PLAN", Period.FinancialYear(start),
        [
            new ServiceMonthInput(new Month(start, 6), shdc + wdbc, new AgreementInForce(
                Guid.NewGuid(),
                SplitRule.Fixed([new("SHDC", shdc * 100 / (shdc + wdbc)), new("WDBC", wdbc * 100 / (shdc + wdbc))])),
                null),
        ]);

    [Fact]
    public void A_partnership_that_began_in_October_counts_only_six_months_of_baseline_in_its_first_year()
    {
        // Baselines £120,000 and £60,000 a year spread evenly: £10,000 and £5,000 a month.
        // 2023-24 from October: 6 months; 2024-25: 12 months → 18 months of baseline.
        var years = new[] { Year(2023, 60_000m, 40_000m), Year(2024, 120_000m, 80_000m) };
        var baselines = new Dictionary<string, decimal> { ["SHDC"] = 120_000m, ["WDBC"] = 60_000m };

        var savings = CumulativeSavings.Since(new Month(2023, 10), null, years, baselines);

        var shdc = savings.Councils.Single(c => c.Council == "SHDC");
        Assert.Equal(180_000m, shdc.Baseline);            // 18 × £10,000
        Assert.Equal(180_000m, shdc.Share);               // £60,000 + £120,000
        Assert.Equal(0m, shdc.Saving);
        var wdbc = savings.Councils.Single(c => c.Council == "WDBC");
        Assert.Equal(90_000m, wdbc.Baseline);             // 18 × £5,000
        Assert.Equal(-30_000m, wdbc.Saving);              // £90,000 − £120,000: West Devon pays more than alone
        Assert.Equal(savings.Councils.Sum(c => c.Saving), savings.Saving);
        Assert.Equal(new Month(2025, 3), savings.To);
    }

    [Fact]
    public void A_partnership_that_ended_stops_counting_baseline_at_its_end_month()
    {
        var years = new[] { Year(2024, 60_000m, 40_000m) };
        var baselines = new Dictionary<string, decimal> { ["SHDC"] = 120_000m };

        var savings = CumulativeSavings.Since(new Month(2024, 4), new Month(2024, 9), years, baselines);

        Assert.Equal(60_000m, savings.Councils.Single(c => c.Council == "SHDC").Baseline); // April–September
        Assert.Equal(new Month(2024, 9), savings.To);
        // West Devon has no baseline: no saving is claimed for it, and the totals are Devon's alone.
        Assert.Equal(new CouncilSaving("WDBC", null, 40_000m, null), savings.Councils.Single(c => c.Council == "WDBC"));
        Assert.Equal(
            (60_000m, 60_000m, 0m, 1),
            (savings.Baseline, savings.Share, savings.Saving, savings.CouncilsWithoutBaseline));
    }
}
