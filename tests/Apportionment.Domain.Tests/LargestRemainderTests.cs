namespace Apportionment.Domain.Tests;

public class LargestRemainderTests
{
    private static Dictionary<string, decimal> Split(decimal total, params (string Council, decimal Weight)[] weights)
        =>
        LargestRemainder.Allocate(total, weights).ToDictionary(a => a.Council, a => a.Amount);

    [Fact]
    public void Three_way_equal_split_of_100_pounds_gives_the_extra_penny_to_the_first_code()
    {
        var parts = Split(100.00m, ("TDC", 1m), ("NDC", 1m), ("MDDC", 1m));

        Assert.Equal(33.34m, parts["MDDC"]);
        Assert.Equal(33.33m, parts["NDC"]);
        Assert.Equal(33.33m, parts["TDC"]);
    }

    [Fact]
    public void Convenience_form_keeps_the_order_given() =>
        Assert.Equal(
            ["TDC", "NDC", "MDDC"],
            LargestRemainder.Allocate(100m, [("TDC", 1m), ("NDC", 1m), ("MDDC", 1m)]).Select(a => a.Council));

    [Fact]
    public void Leftover_pennies_go_to_the_largest_remainders_not_the_largest_shares()
    {
        // 60/40 of £12,345.67: exact 7,407.402 and 4,938.268 — WDBC's .8 of a penny beats SHDC's .2.
        var parts = Split(12_345.67m, ("SHDC", 60m), ("WDBC", 40m));

        Assert.Equal(7_407.40m, parts["SHDC"]);
        Assert.Equal(4_938.27m, parts["WDBC"]);
    }

    [Fact]
    public void Equal_remainders_go_to_the_larger_exact_share_before_the_code()
    {
        // £0.05 at 70/30: exact 3.5p and 1.5p, both half a penny over; ZZZ's larger share wins despite its code.
        var parts = Split(0.05m, ("AAA", 30m), ("ZZZ", 70m));

        Assert.Equal(0.04m, parts["ZZZ"]);
        Assert.Equal(0.01m, parts["AAA"]);
    }

    [Fact]
    public void Credits_are_split_like_costs_with_negative_pennies()
    {
        // -£10.01 at 60/40: exact -6.006 and -4.004; truncated -6.00/-4.00; the -1p goes to SHDC's larger remainder.
        var parts = Split(-10.01m, ("SHDC", 60m), ("WDBC", 40m));

        Assert.Equal(-6.01m, parts["SHDC"]);
        Assert.Equal(-4.00m, parts["WDBC"]);

        var equal = Split(-100.00m, ("TDC", 1m), ("NDC", 1m), ("MDDC", 1m));
        Assert.Equal(-33.34m, equal["MDDC"]);
        Assert.Equal(-33.33m, equal["TDC"]);
    }

    [Fact]
    public void A_council_with_no_activity_pays_nothing_even_when_pennies_are_left()
    {
        var parts = Split(0.01m, ("AAA", 0m), ("BBB", 1m), ("CCC", 1m));

        Assert.Equal(0m, parts["AAA"]);
        Assert.Equal(0.01m, parts["BBB"]);
        Assert.Equal(0m, parts["CCC"]);
    }

    [Fact]
    public void Parts_always_print_with_two_places()
    {
        var parts = LargestRemainder.Allocate(10m, [("A", 1m), ("B", 0m)]);

        Assert.Equal(
            ["10.00", "0.00"],
            parts.Select(p => p.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Weights_too_fine_for_integer_arithmetic_still_split_exactly()
    {
        // 20 decimal places forces the decimal fallback; the result must still reconcile.
        var parts = Split(
            100.00m,
            ("A", 0.33333333333333333333m),
            ("B", 0.33333333333333333333m),
            ("C", 0.33333333333333333334m));

        Assert.Equal(100.00m, parts.Values.Sum());
        Assert.All(parts.Values, p => Assert.InRange(p, 33.33m, 33.34m));
    }

    [Fact]
    public void The_span_form_writes_into_the_callers_buffer()
    {
        Span<decimal> result = stackalloc decimal[2];
        LargestRemainder.Allocate(1.00m, [2m, 1m], ["A", "B"], result);

        Assert.Equal(0.67m, result[0]);
        Assert.Equal(0.33m, result[1]);
    }

    [Fact]
    public void Rejects_inputs_that_cannot_be_split()
    {
        Assert.Throws<ArgumentException>(() => LargestRemainder.Allocate(1.001m, [("A", 1m)]));
        Assert.Throws<ArgumentException>(() => LargestRemainder.Allocate(1m, [("A", 0m), ("B", 0m)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => LargestRemainder.Allocate(1m, [("A", -1m), ("B", 2m)]));
        Assert.Throws<ArgumentException>(() => LargestRemainder.Allocate(1m, []));
        Assert.Throws<ArgumentException>(() => LargestRemainder.Allocate(1m, [1m], ["A", "B"], new decimal[1]));
    }
}
