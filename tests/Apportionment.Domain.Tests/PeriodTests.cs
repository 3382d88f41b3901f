namespace Apportionment.Domain.Tests;

public class PeriodTests
{
    [Fact]
    public void A_financial_year_runs_April_to_March()
    {
        var year = Period.Parse("2024-25");

        Assert.Equal(PeriodKind.FinancialYear, year.Kind);
        Assert.Equal(new Month(2024, 4), year.First);
        Assert.Equal(new Month(2025, 3), year.Last);
        Assert.Equal(12, year.Months.Count);
        Assert.Equal(
            ["2024-04", "2024-05", "2024-06", "2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12",
                "2025-01", "2025-02", "2025-03"],
            year.Months.Select(m => m.ToString()));
        Assert.Equal(Period.FinancialYear(2024), year);
    }

    [Theory]
    [InlineData("2024-25-Q1", "2024-04", "2024-05", "2024-06")]
    [InlineData("2024-25-Q2", "2024-07", "2024-08", "2024-09")]
    [InlineData("2024-25-Q3", "2024-10", "2024-11", "2024-12")]
    [InlineData("2024-25-Q4", "2025-01", "2025-02", "2025-03")]
    public void Quarters_follow_the_financial_year(string text, string m1, string m2, string m3)
    {
        var quarter = Period.Parse(text);

        Assert.Equal(PeriodKind.Quarter, quarter.Kind);
        Assert.Equal([m1, m2, m3], quarter.Months.Select(m => m.ToString()));
    }

    [Fact]
    public void A_month_period_has_one_month()
    {
        var period = Period.Parse("2024-05");

        Assert.Equal(PeriodKind.Month, period.Kind);
        Assert.Equal([new Month(2024, 5)], period.Months);
        Assert.Equal(Period.ForMonth(new Month(2024, 5)), period);
    }

    [Theory]
    [InlineData("2024-05")]
    [InlineData("2024-25")]
    [InlineData("2024-25-Q1")]
    [InlineData("2024-25-Q4")]
    [InlineData("1999-00")]
    [InlineData("2099-00")]
    public void Prints_in_canonical_form(string text) => Assert.Equal(text, Period.Parse(text).ToString());

    [Theory]
    [InlineData("2024-13", "neither a month")]
    [InlineData("2024-26", "neither a month")]
    [InlineData("2024-24", "neither a month")]
    [InlineData("2024-25-Q5", "Q1 (Apr–Jun) to Q4")]
    [InlineData("2024-25-Q0", "Q1 (Apr–Jun) to Q4")]
    [InlineData("2024-26-Q1", "ends in 25, not 26")]
    [InlineData("2024-5", "expected a month")]
    [InlineData("", "expected a month")]
    [InlineData("2024-25-q1", "expected a month")]
    [InlineData("2024-2025", "expected a month")]
    [InlineData("FY2024", "expected a month")]
    public void Rejects_other_text_with_a_clear_error(string text, string hint)
    {
        Assert.False(Period.TryParse(text, out var period, out var error));
        Assert.Null(period);
        Assert.Contains(hint, error, StringComparison.Ordinal);
        var thrown = Assert.Throws<FormatException>(() => Period.Parse(text));
        Assert.Equal(error, thrown.Message);
    }

    [Fact]
    public void TryParse_handles_null()
    {
        Assert.False(Period.TryParse(null, out var period, out var error));
        Assert.Null(period);
        Assert.NotNull(error);
    }

    [Fact]
    public void Ambiguous_text_for_years_2000_to_2011_reads_as_a_month()
    {
        // "2011-12" could be December 2011 or financial year 2011-12; months win, the factory builds the year.
        Assert.Equal(PeriodKind.Month, Period.Parse("2011-12").Kind);
        Assert.Equal("2011-12", Period.FinancialYear(2011).ToString());
        Assert.Equal(PeriodKind.Quarter, Period.Parse("2011-12-Q2").Kind);
    }

    [Fact]
    public void Contains_only_its_own_months()
    {
        var q3 = Period.Parse("2024-25-Q3");

        Assert.True(q3.Contains(new Month(2024, 10)));
        Assert.True(q3.Contains(new Month(2024, 12)));
        Assert.False(q3.Contains(new Month(2024, 9)));
        Assert.False(q3.Contains(new Month(2025, 1)));
        Assert.True(Period.Parse("2024-25").Contains(new Month(2025, 3)));
        Assert.False(Period.Parse("2024-25").Contains(new Month(2025, 4)));
    }

    [Fact]
    public void Equal_periods_are_equal_values()
    {
        Assert.Equal(Period.Parse("2024-25-Q2"), Period.Quarter(2024, 2));
        Assert.Equal(Period.Parse("2024-25-Q2").GetHashCode(), Period.Quarter(2024, 2).GetHashCode());
        Assert.NotEqual(Period.Parse("2024-25-Q1"), Period.Parse("2024-25"));
    }
}
