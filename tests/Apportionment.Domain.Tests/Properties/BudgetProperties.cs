namespace Apportionment.Domain.Tests.Properties;

public class BudgetProperties
{
    private static readonly string[] Partners = ["DCC", "MDDC", "PCC", "TC", "TDC"];

    private static readonly Gen<decimal> Budget = Gen.OneOf(
        Gen.Long[-2_400, 2_400],
        Gen.Long[-10_000_000_00L, 1_000_000_000_00L]).Select(p => p * 0.01m);

    private static readonly Gen<decimal[]> Profile = Gen.Long[-1_000_000_00L, 10_000_000_00L].Select(p => p * 0.01m)
        .Array[12];

    /// <summary>
    /// A year whose agreement may change in any month, fixed/equal/driver, driver months sometimes without figures.
    /// </summary>
    private static readonly Gen<ServiceMonthInput[]> Year =
        from changeAt in Gen.Int[0, 12]
        from firstDriver in Gen.Bool
        from secondCount in Gen.Int[1, Partners.Length]
        from hours in Gen.Int[0, 300].Array[Partners.Length].Array[12]
        from withFigures in Gen.Bool.Array[12]
        from actuals in Generators.Amount.Array[12]
        select BuildYear(changeAt, firstDriver, secondCount, hours, withFigures, actuals);

    private static ServiceMonthInput[] BuildYear(
        int changeAt,
        bool firstDriver,
        int secondCount,
        int[][] hours,
        bool[] withFigures,
        decimal[] actuals)
    {
        var first = new AgreementInForce(Guid.NewGuid(), firstDriver
            ? SplitRule.ByDriver("hours", Partners[..3])
            : SplitRule.Fixed([new("DCC", 46m), new("MDDC", 27m), new("PCC", 27m)]));
        var second = new AgreementInForce(Guid.NewGuid(), SplitRule.Equal(Partners[..secondCount]));
        return [.. Enumerable.Range(0, 12).Select(i =>
        {
            var agreement = i < changeAt ? first : second;
            var figures = withFigures[i]
                ? Partners.Select((c, j) => (c, (decimal)hours[i][j])).ToDictionary(x => x.c, x => x.Item2)
                : null;
            return new ServiceMonthInput(new Month(2025, 4).AddMonths(i), actuals[i], agreement, figures);
        })];
    }

    [Fact]
    public void A_flat_profile_sums_to_the_budget_over_the_months_the_service_runs() =>
        Gen.Select(Budget, Gen.Int[0, 11], Gen.Int[0, 11]).Sample(
            (budget, a, b) =>
            {
                var (first, last) = (Math.Min(a, b), Math.Max(a, b));
                var profile = BudgetProfile.Flat(budget, first, last);
                Assert.Equal(12, profile.Count);
                Assert.Equal(budget, profile.Sum());
                var even = budget / (last - first + 1);
                for (var i = 0; i < 12; i++)
                {
                    Assert.True(
                        i < first || i > last ? profile[i] == 0m : Math.Abs(profile[i] - even) < 0.01m,
                        $"month {i}: {profile[i]}");
                }

                Assert.Empty(BudgetProfile.Validate(budget, profile, first: first, last: last));
            },
            iter: Generators.Iterations);

    [Fact]
    public void A_custom_profile_is_accepted_exactly_when_it_sums_to_the_budget() =>
        Gen.Select(Profile, Gen.Long[-5, 5]).Sample(
            (months, pennies) =>
            {
                var budget = months.Sum() + (pennies * 0.01m);
                var errors = BudgetProfile.Validate(budget, months);
                Assert.Equal(pennies == 0, errors.Count == 0);
                Assert.True(pennies == 0 || errors.ContainsKey("profile"));
            },
            iter: Generators.Iterations);

    [Fact]
    public void Each_years_target_is_the_previous_target_less_the_percentage_to_the_penny() =>
        Gen.Select(Budget, Gen.Int[1, 9_999], Gen.Int[0, 10]).Sample(
            (budget, hundredths, years) =>
            {
                var target = new ReductionTarget(hundredths * 0.01m, 2024);
                Assert.Null(target.For(2023, budget));
                Assert.Equal(budget, target.For(2024, budget));
                var previous = target.For(2024 + years, budget)!.Value;
                var next = target.For(2025 + years, budget)!.Value;
                var exact = previous * (100m - target.ReductionPercent) / 100m;
                Assert.True(
                    Math.Abs(next - exact) <= 0.005m,
                    $"{previous} less {target.ReductionPercent}% is {exact}, target {next}");
                Assert.True(Money.HasAtMostTwoPlaces(next));
                Assert.True(Math.Abs(next) <= Math.Abs(previous));
            },
            iter: Generators.Iterations);

    [Fact]
    public void The_forecast_is_actual_to_date_plus_the_remaining_profile() =>
        Gen.Select(Profile, Generators.Amount.Array[12], Gen.Int[0, 12]).Sample(
            (profile, actuals, toDate) =>
            {
                var f = BudgetMonitor.Forecast(profile, actuals, toDate);
                Assert.Equal(profile.Sum(), f.Budget);
                Assert.Equal(actuals.Take(toDate).Sum() + profile.Skip(toDate).Sum(), f.ForecastOutturn);
                Assert.Equal(f.ActualToDate - f.ProfiledBudgetToDate, f.VarianceToDate);
                Assert.Equal(f.ForecastOutturn - f.Budget, f.ForecastVariance);
                // Nothing beyond the months to date is known, so the forecast variance is the variance to date.
                Assert.Equal(f.VarianceToDate, f.ForecastVariance);
            },
            iter: Generators.Iterations);

    [Fact]
    public void Budget_shares_sum_to_the_budget_and_forecast_shares_to_the_forecast() =>
        Gen.Select(Year, Profile, Gen.Int[0, 12]).Sample(
            (months, profile, toDate) =>
            {
                var year = Period.FinancialYear(2025);
                var budget = BudgetShares.Apportion("SVC", year, profile, months);
                Assert.Equal(profile.Sum(), budget.Allocations.Sum(a => a.Amount));
                Assert.All(
                    budget.Months,
                    m => Assert.Equal(profile[m.Month.FinancialYearPosition], m.Allocations.Sum(a => a.Amount)));

                // Actual driver months need figures: give them the budget's fallback so the year can be apportioned.
                var actualInputs = months.Select(m => m.Agreement!.Rule.Method == SplitMethod.Driver
                    && (m.Activity is null || m.Agreement.Rule.Councils.Sum(c => m.Activity[c]) == 0m)
                    ? m with { NetCost = 0m }
                    : m).ToList();
                var actual = Apportioner.Apportion("SVC", year, actualInputs);
                var monitoring = BudgetMonitor.Monitor(budget, actual, toDate, new BudgetThresholds());
                Assert.Equal(monitoring.Figures.Budget, monitoring.Councils.Sum(c => c.BudgetShare));
                Assert.Equal(monitoring.Figures.ForecastOutturn, monitoring.Councils.Sum(c => c.ForecastShare));
                Assert.Equal(monitoring.Figures.ActualToDate, monitoring.Councils.Sum(c => c.ActualShare));
            },
            iter: Generators.Iterations);

    [Fact]
    public void A_proposals_differences_sum_to_zero() =>
        Gen.Select(Year, Gen.Int[0, 11]).Sample(
            (months, from) =>
            {
                var year = Period.FinancialYear(2025);
                var equal = new AgreementInForce(Guid.NewGuid(), SplitRule.Equal(Partners));
                var usable = months.Select(
                    m => m.Agreement!.Rule.Method == SplitMethod.Driver ? m with { Agreement = equal } : m).ToList();
                var proposal = new AgreementInForce(Guid.NewGuid(), SplitRule.Fixed([new("DCC", 55m), new("TC", 45m)]));
                var current = Apportioner.Apportion("SVC", year, usable);
                var proposed = Apportioner.Apportion(
                    "SVC",
                    year,
                    usable.Select(m => m.Month.FinancialYearPosition >= from ? m with { Agreement = proposal } : m));
                var impact = ProposalImpact.Compare(current, proposed);
                Assert.Equal(0m, impact.Sum(i => i.Difference));
                Assert.All(impact, i => Assert.Equal(i.Proposed - i.Current, i.Difference));
            },
            iter: Generators.Iterations);
}
