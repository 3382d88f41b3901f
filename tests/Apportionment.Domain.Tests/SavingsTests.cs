using static Apportionment.Domain.Tests.Councils;

namespace Apportionment.Domain.Tests;

public class SavingsTests
{
    [Fact]
    public void Saving_is_the_stand_alone_baseline_less_the_partnership_share()
    {
        var quarter = Apportioner.Apportion(
            "PLAN-SHWD",
            Period.Parse("2024-25-Q1"),
            Period.Parse("2024-25-Q1").Months.Select(m => new ServiceMonthInput(m, 10_000.00m, Planning6040, null)));
        var baselines = new Dictionary<string, decimal> { ["SHDC"] = 240_000.00m, ["WDBC"] = 150_000.00m };

        var report = Savings.For(quarter, baselines);

        // Quarter baselines: 60,000 and 37,500; shares 18,000 and 12,000.
        Assert.Equal(
            [new CouncilSaving("SHDC", 60_000.00m, 18_000.00m, 42_000.00m), new CouncilSaving(
                "WDBC",
                37_500.00m,
                12_000.00m,
                25_500.00m)],
            report.Councils);
        Assert.Equal(97_500.00m, report.Baseline);
        Assert.Equal(30_000.00m, report.Share);
        Assert.Equal(67_500.00m, report.Saving);
    }

    [Fact]
    public void A_council_without_a_baseline_has_no_saving_and_is_left_out_of_the_totals()
    {
        var report = Savings.For(
            Period.Parse("2024-05"),
            new Dictionary<string, decimal> { ["TDC"] = 1_200.00m },
            new Dictionary<string, decimal> { ["MDDC"] = 120.00m, ["TDC"] = 30.00m });

        Assert.Equal(
            [new CouncilSaving("MDDC", null, 120m, null), new CouncilSaving("TDC", 100m, 30m, 70m)],
            report.Councils);
        Assert.Equal(
            (100m, 30m, 70m, 1),
            (report.Baseline, report.Share, report.Saving, report.CouncilsWithoutBaseline));
    }
}
