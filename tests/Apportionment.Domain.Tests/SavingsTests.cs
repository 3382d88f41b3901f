using Apportionment.Domain;
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
            [new CouncilSaving("SHDC", 60_000.00m, 18_000.00m, 42_000.00m), new CouncilSaving("WDBC", 37_500.00m, 12_000.00m, 25_500.00m)],
            report.Councils);
        Assert.Equal(97_500.00m, report.Baseline);
        Assert.Equal(30_000.00m, report.Share);
        Assert.Equal(67_500.00m, report.Saving);
    }

    [Fact]
    public void A_council_without_a_baseline_shows_a_negative_saving()
    {
        var report = Savings.For(
            Period.Parse("2024-05"),
            new Dictionary<string, decimal>(),
            new Dictionary<string, decimal> { ["MDDC"] = 120.00m });

        Assert.Equal(new CouncilSaving("MDDC", 0m, 120m, -120m), Assert.Single(report.Councils));
    }
}
