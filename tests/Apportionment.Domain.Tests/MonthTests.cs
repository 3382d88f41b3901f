namespace Apportionment.Domain.Tests;

public class MonthTests
{
    [Fact]
    public void Parses_year_and_month()
    {
        var month = Month.Parse("2024-05");

        Assert.Equal(2024, month.Year);
        Assert.Equal(5, month.Number);
        Assert.Equal((2024 * 12) + 4, month.Index);
        Assert.Equal("2024-05", month.ToString());
        Assert.Equal(new DateOnly(2024, 5, 1), month.FirstDay);
    }

    [Theory]
    [InlineData("2024-13", "01 to 12")]
    [InlineData("2024-00", "01 to 12")]
    [InlineData("2024-5", "yyyy-MM")]
    [InlineData("", "yyyy-MM")]
    [InlineData("24-05", "yyyy-MM")]
    [InlineData("2024/05", "yyyy-MM")]
    [InlineData(" 2024-05", "yyyy-MM")]
    [InlineData("2024-+5", "yyyy-MM")]
    public void Rejects_anything_but_yyyy_MM_with_a_clear_message(string text, string hint)
    {
        var error = Assert.Throws<FormatException>(() => Month.Parse(text));

        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
        Assert.False(Month.TryParse(text, out _));
    }

    [Fact]
    public void TryParse_handles_null() => Assert.False(Month.TryParse(null, out _));

    [Theory]
    [InlineData("2025-02", 2024)]
    [InlineData("2025-03", 2024)]
    [InlineData("2025-04", 2025)]
    [InlineData("2024-12", 2024)]
    public void Knows_its_financial_year(string text, int startYear) =>
        Assert.Equal(startYear, Month.Parse(text).FinancialYearStart);

    [Fact]
    public void Month_arithmetic_crosses_year_ends()
    {
        Assert.Equal(new Month(2025, 1), new Month(2024, 12).AddMonths(1));
        Assert.Equal(new Month(2023, 12), new Month(2024, 1).AddMonths(-1));
        Assert.Equal(new Month(2024, 3), Month.FromIndex(new Month(2024, 3).Index));
        Assert.Equal(new Month(2024, 7), Month.FromDate(new DateOnly(2024, 7, 31)));
    }

    [Fact]
    public void Months_order_chronologically()
    {
        var march = new Month(2025, 3);
        var april = new Month(2024, 4);

        Assert.True(april < march);
        Assert.True(april <= march);
        Assert.True(march > april);
        Assert.True(march >= new Month(2025, 3));
        Assert.True(april.CompareTo(march) < 0);
    }

    [Theory]
    [InlineData(2024, 0)]
    [InlineData(2024, 13)]
    [InlineData(0, 1)]
    [InlineData(10000, 1)]
    public void Constructor_rejects_impossible_months(int year, int month) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Month(year, month));
}
