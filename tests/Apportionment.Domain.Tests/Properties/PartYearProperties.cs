namespace Apportionment.Domain.Tests.Properties;

/// <summary>
/// A part-year's saving compares like with like: the same months on both sides, the baseline to the penny.
/// </summary>
public class PartYearProperties
{
    private static readonly Gen<decimal> Annual = Gen.Long[0, 1_000_000_000_00L].Select(p => p * 0.01m);

    /// <summary>
    /// A financial year of a 60/40 partnership, some months with nothing posted, and a month that is "now".
    /// </summary>
    private static readonly Gen<(ServiceApportionment Year, Month Current)> YearSoFar =
        from start in Gen.Int[2020, 2030]
        from costs in Gen.Frequency((1, Gen.Const(0m)), (3, Generators.Amount)).Array[12]
        from now in Gen.Int[0, 14]
        let period = Period.FinancialYear(start)
        let rule = new AgreementInForce(Guid.Empty, SplitRule.Fixed([new("A", 60m), new("B", 40m)]))
        select (Apportioner.Apportion(
            "PLAN",
            period,
            period.Months.Select((m, i) => new ServiceMonthInput(m, costs[i], rule, null)).ToList()),
            period.First.AddMonths(now));

    [Fact]
    public void Only_ended_months_with_costs_count_and_baseline_and_share_cover_exactly_those() =>
        Gen.Select(YearSoFar, Annual, Annual).Sample(
            (year, annualA, annualB) =>
            {
                var (apportionment, current) = year;
                var report = Savings.For(
                    apportionment,
                    new Dictionary<string, decimal> { ["A"] = annualA, ["B"] = annualB },
                    current);

                var expected = apportionment.Months.Where(m => m.Month < current && m.NetCost != 0m)
                    .Select(m => m.Month)
                    .ToList();
                Assert.Equal(expected, report.MonthsCounted);
                var spread = Baseline.MonthlySpread(annualA);
                Assert.Equal(
                    expected.Sum(m => spread[m.FinancialYearPosition]),
                    report.Councils.Single(c => c.Council == "A").Baseline);
                Assert.Equal(
                    apportionment.Months.Where(m => expected.Contains(m.Month)).Sum(m => m.NetCost),
                    report.Share);
                Assert.Equal(report.Baseline - report.Share, report.Saving);
                if (expected.Count == 0)
                {
                    Assert.Equal((0m, 0m, 0m), (report.Baseline, report.Share, report.Saving));
                }
            },
            iter: Generators.Iterations);

    [Fact]
    public void Months_counted_and_months_not_counted_together_make_the_whole_baseline_to_the_penny() =>
        Gen.Select(YearSoFar, Annual).Sample(
            (year, annual) =>
            {
                var counted = PartYear.MonthsCounted(year.Year, year.Current);
                var rest = year.Year.Period.Months.Except(counted);
                Assert.Equal(annual, Baseline.ForMonths(annual, counted) + Baseline.ForMonths(annual, rest));
            },
            iter: Generators.Iterations);

    [Fact]
    public void A_finished_year_with_costs_every_month_is_the_whole_year_comparison() =>
        Gen.Select(Gen.Int[2020, 2030], Gen.Long[1, 1_000_000_00L].Array[12], Annual).Sample(
            (start, pennies, annual) =>
            {
                var period = Period.FinancialYear(start);
                var rule = new AgreementInForce(Guid.Empty, SplitRule.Fixed([new("A", 60m), new("B", 40m)]));
                var apportionment = Apportioner.Apportion(
                    "PLAN",
                    period,
                    period.Months.Select((m, i) => new ServiceMonthInput(m, pennies[i] * 0.01m, rule, null)).ToList());
                var baselines = new Dictionary<string, decimal> { ["A"] = annual };

                var partYear = Savings.For(apportionment, baselines, period.Last.AddMonths(1));
                var whole = Savings.For(apportionment, baselines);

                Assert.Equal(12, partYear.MonthsCounted.Count);
                Assert.Equal(
                    (whole.Baseline, whole.Share, whole.Saving),
                    (partYear.Baseline, partYear.Share, partYear.Saving));
            },
            iter: Generators.Iterations);

    [Fact]
    public void Cumulative_savings_over_years_with_nothing_posted_are_nothing()
    {
        var period = Period.FinancialYear(2026);
        var rule = new AgreementInForce(Guid.Empty, SplitRule.Fixed([new("A", 60m), new("B", 40m)]));
        var empty = Apportioner.Apportion(
            "PLAN",
            period,
            period.Months.Select(m => new ServiceMonthInput(m, 0m, rule, null)).ToList());

        var savings = CumulativeSavings.Since(
            period.First,
            null,
            [empty],
            new Dictionary<string, decimal> { ["A"] = 412_000m },
            new Month(2026, 12));

        Assert.Empty(savings.MonthsCounted);
        Assert.Equal((0m, 0m, 0m), (savings.Baseline, savings.Share, savings.Saving));
    }
}
