namespace Apportionment.Domain.Tests;

public class MoneyTests
{
    [Theory]
    [InlineData("1.23", true)]
    [InlineData("1.230", true)] // £1.23 written with a trailing zero is still whole pennies
    [InlineData("1.2300000", true)]
    [InlineData("-5.10", true)]
    [InlineData("100", true)]
    [InlineData("1.234", false)]
    [InlineData("0.001", false)]
    [InlineData("-0.005", false)]
    public void Only_whole_pennies_are_accepted(string amount, bool expected) =>
        Assert.Equal(
            expected,
            Money.HasAtMostTwoPlaces(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("57.125", "57.13")]
    [InlineData("-57.125", "-57.13")]
    [InlineData("33.3333", "33.33")]
    public void Display_rounding_is_half_away_from_zero(string value, string expected) =>
        Assert.Equal(
            decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            Money.Round2(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Normalise_prints_two_places_and_refuses_fractions_of_a_penny()
    {
        Assert.Equal("12.30", Money.Normalise(12.3m).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("12.30", Money.Normalise(12.3000m).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Throws<ArgumentException>(() => Money.Normalise(12.301m));
    }
}
