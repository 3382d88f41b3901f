namespace Apportionment.Domain.Tests;

public class SplitRuleTests
{
    private static IReadOnlyDictionary<string, string[]> ValidateFixed(params CouncilShare[] shares) =>
        SplitRule.Validate(SplitMethod.Fixed, shares, null, null);

    [Fact]
    public void A_sixty_forty_split_is_valid_and_listed_in_code_order()
    {
        var rule = SplitRule.Fixed([new("WDBC", 40m), new("SHDC", 60m)]);

        Assert.Equal(SplitMethod.Fixed, rule.Method);
        Assert.Equal(["SHDC", "WDBC"], rule.Councils);
        Assert.Equal([new CouncilShare("SHDC", 60m), new CouncilShare("WDBC", 40m)], rule.Shares);
        Assert.Null(rule.Driver);
    }

    [Fact]
    public void Four_decimal_place_thirds_are_accepted_when_they_total_100() =>
        Assert.Empty(ValidateFixed(new("A", 33.3333m), new("B", 33.3333m), new("C", 33.3334m)));

    [Fact]
    public void Percentages_totalling_99_99_are_rejected_with_the_actual_total()
    {
        var errors = ValidateFixed(new("SHDC", 60m), new("WDBC", 39.99m));

        Assert.Contains("99.99", Assert.Single(errors["shares"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Five_decimal_places_are_rejected()
    {
        var errors = ValidateFixed(new("SHDC", 59.99999m), new("WDBC", 40.00001m));

        Assert.Contains("4 decimal places", errors["shares[0].percent"][0], StringComparison.Ordinal);
        Assert.Contains("shares[1].percent", errors.Keys);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-10")]
    public void Zero_or_negative_percentages_are_rejected(string percent)
    {
        var p = decimal.Parse(percent, System.Globalization.CultureInfo.InvariantCulture);
        var errors = ValidateFixed(new("SHDC", 100m - p), new("WDBC", p));

        Assert.Equal(["shares[1].percent"], errors.Keys);
    }

    [Fact]
    public void A_council_named_twice_is_rejected()
    {
        var errors = ValidateFixed(new("SHDC", 50m), new("SHDC", 50m));

        Assert.Contains("SHDC appears more than once", errors["shares[1].council"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_fixed_split_needs_shares_and_no_driver()
    {
        Assert.Contains("shares", SplitRule.Validate(SplitMethod.Fixed, [], null, null).Keys);
        Assert.Contains("shares", SplitRule.Validate(SplitMethod.Fixed, null, null, null).Keys);
        Assert.Contains("driver", SplitRule.Validate(SplitMethod.Fixed, [new("A", 100m)], null, "hours").Keys);
        Assert.Contains("councils", SplitRule.Validate(SplitMethod.Fixed, [new("A", 100m)], ["A"], null).Keys);
        Assert.Contains("shares[0].council", SplitRule.Validate(SplitMethod.Fixed, [new(" ", 100m)], null, null).Keys);
    }

    [Fact]
    public void The_factory_throws_with_the_same_errors()
    {
        var thrown = Assert.Throws<SplitRuleException>(() => SplitRule.Fixed([new("SHDC", 60m), new("WDBC", 39.99m)]));

        Assert.Equal(["shares"], thrown.Errors.Keys);
        Assert.Contains("99.99", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_equal_split_lists_its_councils_once_each()
    {
        var rule = SplitRule.Equal(["TDC", "MDDC", "NDC"]);

        Assert.Equal(SplitMethod.Equal, rule.Method);
        Assert.Equal(["MDDC", "NDC", "TDC"], rule.Councils);
        Assert.Empty(rule.Shares);
        Assert.Contains("councils", SplitRule.Validate(SplitMethod.Equal, null, [], null).Keys);
        Assert.Contains("councils[1]", SplitRule.Validate(SplitMethod.Equal, null, ["MDDC", "MDDC"], null).Keys);
        Assert.Contains("councils[0]", SplitRule.Validate(SplitMethod.Equal, null, [""], null).Keys);
        Assert.Contains("shares", SplitRule.Validate(SplitMethod.Equal, [new("MDDC", 100m)], ["MDDC"], null).Keys);
        Assert.Throws<SplitRuleException>(() => SplitRule.Equal(["MDDC", "MDDC"]));
    }

    [Fact]
    public void A_single_council_equal_split_is_allowed() =>
        Assert.Equal(["MDDC"], SplitRule.Equal(["MDDC"]).Councils);

    [Fact]
    public void A_driver_split_names_its_driver_and_councils()
    {
        var rule = SplitRule.ByDriver("surveyor-hours", ["NDC", "MDDC"]);

        Assert.Equal(SplitMethod.Driver, rule.Method);
        Assert.Equal("surveyor-hours", rule.Driver);
        Assert.Equal(["MDDC", "NDC"], rule.Councils);
        Assert.Contains("driver", SplitRule.Validate(SplitMethod.Driver, null, ["MDDC"], " ").Keys);
        Assert.Contains("driver", SplitRule.Validate(SplitMethod.Driver, null, ["MDDC"], null).Keys);
        Assert.Contains("councils", SplitRule.Validate(SplitMethod.Driver, null, null, "surveyor-hours").Keys);
        Assert.Contains(
            "councils[1]",
            SplitRule.Validate(SplitMethod.Driver, null, ["NDC", "NDC"], "surveyor-hours").Keys);
        Assert.Throws<SplitRuleException>(() => SplitRule.ByDriver("", ["MDDC"]));
    }
}
