using Apportionment.Domain.Indicators;

namespace Apportionment.Domain.Tests.Properties;

public class IndicatorProperties
{
    private static readonly Gen<decimal> Figure = Gen.Long[-1_000_000_00L, 1_000_000_00L].Select(p => p * 0.01m);

    private static readonly Gen<Polarity> Polarities = Gen.Bool
        .Select(b => b ? Polarity.HigherIsBetter : Polarity.LowerIsBetter);

    [Fact]
    public void Met_exactly_when_the_actual_is_the_target_or_better() =>
        Gen.Select(Figure, Figure, Polarities).Sample(
            (actual, target, polarity) =>
            {
                var better = polarity == Polarity.HigherIsBetter ? actual >= target : actual <= target;
                Assert.Equal(better, IndicatorAssessment.StatusOf(actual, target, polarity) == IndicatorStatus.Met);
            },
            iter: Generators.Iterations);

    [Fact]
    public void Lower_is_better_is_higher_is_better_mirrored() =>
        Gen.Select(Figure, Figure).Sample(
            (actual, target) => Assert.Equal(
                IndicatorAssessment.StatusOf(actual, target, Polarity.HigherIsBetter),
                IndicatorAssessment.StatusOf(-actual, -target, Polarity.LowerIsBetter)),
            iter: Generators.Iterations);

    [Fact]
    public void A_better_actual_never_has_a_worse_status() =>
        Gen.Select(Figure, Figure, Figure, Polarities).Sample(
            (a, b, target, polarity) =>
            {
                var (worse, better) = (polarity == Polarity.HigherIsBetter) == (a <= b) ? (a, b) : (b, a);
                // Met < Near < Missed: the enum's order is the order of merit.
                Assert.True(IndicatorAssessment.StatusOf(better, target, polarity) <= IndicatorAssessment.StatusOf(
                    worse,
                    target,
                    polarity));
            },
            iter: Generators.Iterations);

    [Fact]
    public void Near_means_within_the_band_of_the_target() =>
        Gen.Select(Figure, Figure, Polarities).Sample(
            (actual, target, polarity) =>
            {
                var shortfall = polarity == Polarity.HigherIsBetter ? target - actual : actual - target;
                var near = shortfall > 0 && shortfall <= Math.Abs(target) * IndicatorAssessment.NearPercent / 100m;
                Assert.Equal(near, IndicatorAssessment.StatusOf(actual, target, polarity) == IndicatorStatus.Near);
            },
            iter: Generators.Iterations);

    [Fact]
    public void No_actual_or_no_target_has_no_status_or_trend() =>
        Gen.Select(Figure, Polarities).Sample(
            (figure, polarity) =>
            {
                Assert.Null(IndicatorAssessment.StatusOf(null, figure, polarity));
                Assert.Null(IndicatorAssessment.StatusOf(figure, null, polarity));
                Assert.Null(IndicatorAssessment.TrendOf(figure, null, polarity));
                Assert.Null(IndicatorAssessment.TrendOf(null, figure, polarity));
            },
            iter: Generators.Iterations);

    [Fact]
    public void The_trend_swaps_with_the_polarity_and_with_the_years() =>
        Gen.Select(Figure, Figure).Sample(
            (now, before) =>
            {
                var higher = IndicatorAssessment.TrendOf(now, before, Polarity.HigherIsBetter);
                Assert.Equal(higher, IndicatorAssessment.TrendOf(before, now, Polarity.LowerIsBetter));
                Assert.Equal(now == before, higher == Trend.Same);
            },
            iter: Generators.Iterations);

    [Theory]
    [InlineData(90, 90, Polarity.HigherIsBetter, IndicatorStatus.Met)]
    [InlineData(88, 90, Polarity.HigherIsBetter, IndicatorStatus.Near)]
    [InlineData(85.5, 90, Polarity.HigherIsBetter, IndicatorStatus.Near)]
    [InlineData(85.4, 90, Polarity.HigherIsBetter, IndicatorStatus.Missed)]
    [InlineData(10, 10, Polarity.LowerIsBetter, IndicatorStatus.Met)]
    [InlineData(10.5, 10, Polarity.LowerIsBetter, IndicatorStatus.Near)]
    [InlineData(10.6, 10, Polarity.LowerIsBetter, IndicatorStatus.Missed)]
    [InlineData(1, 0, Polarity.LowerIsBetter, IndicatorStatus.Missed)]
    public void Examples_a_committee_would_check_by_hand(
        double actual,
        double target,
        Polarity polarity,
        IndicatorStatus expected) =>
        Assert.Equal(expected, IndicatorAssessment.StatusOf((decimal)actual, (decimal)target, polarity));
}
