using Apportionment.Domain;
using CsCheck;

namespace Apportionment.Domain.Tests.Properties;

/// <summary>A financial year written "YYYY-YY" is April YYYY to March of the next year, whatever YY is.</summary>
public class FinancialYearProperties
{
    [Fact]
    public void Every_financial_year_reads_back_as_April_to_March() =>
        Gen.Int[1, 9998].Sample(
            start =>
            {
                var text = Period.FinancialYear(start).ToString();
                var year = Period.ParseFinancialYear(text);
                Assert.Equal(PeriodKind.FinancialYear, year.Kind);
                Assert.Equal(new Month(start, 4), year.First);
                Assert.Equal(new Month(start + 1, 3), year.Last);
                Assert.Equal(text, year.ToString());
            },
            iter: Generators.Iterations);

    [Fact]
    public void A_second_part_that_is_not_the_next_year_is_refused_with_the_year_it_should_end_in() =>
        Gen.Select(Gen.Int[1, 9998], Gen.Int[0, 99]).Where(t => t.Item2 != (t.Item1 + 1) % 100).Sample(
            t =>
            {
                var text = $"{t.Item1:D4}-{t.Item2:D2}";
                Assert.False(Period.TryParseFinancialYear(text, out var year, out var error));
                Assert.Null(year);
                Assert.Contains($"ends in {(t.Item1 + 1) % 100:D2}", error);
            },
            iter: Generators.Iterations);

    [Theory]
    [InlineData("2008-09", 2008)]
    [InlineData("2009-10", 2009)]
    [InlineData("2011-12", 2011)]
    [InlineData("2010-11", 2010)]
    public void A_year_that_also_looks_like_a_month_is_the_financial_year(string text, int start)
    {
        Assert.Equal(Period.FinancialYear(start), Period.ParseFinancialYear(text));
        Assert.Equal(PeriodKind.Month, Period.Parse(text).Kind); // any period: the month wins, as documented
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2025")]
    [InlineData("2025-26-Q1")]
    [InlineData("0000-01")]
    [InlineData("2025/26")]
    public void Anything_else_is_not_a_financial_year(string? text) =>
        Assert.False(Period.TryParseFinancialYear(text, out _, out _));
}
