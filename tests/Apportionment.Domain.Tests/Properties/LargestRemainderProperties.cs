namespace Apportionment.Domain.Tests.Properties;

public class LargestRemainderProperties
{
    private static decimal[] Split(SplitCase c)
    {
        var result = new decimal[c.Weights.Length];
        LargestRemainder.Allocate(c.Total, c.Weights, c.Councils, result);
        return result;
    }

    [Fact]
    public void Parts_always_sum_to_the_total() =>
        Gen.OneOf(Generators.Split(Generators.Weight), Generators.Split(Generators.FineWeight))
            .Sample(c => Assert.Equal(c.Total, Split(c).Sum()), iter: Generators.Iterations);

    [Fact]
    public void Each_part_is_within_a_penny_of_its_exact_share() =>
        Gen.OneOf(Generators.Split(Generators.Weight), Generators.Split(Generators.FineWeight)).Sample(
            c =>
            {
                var parts = Split(c);
                var sum = c.Weights.Sum();
                for (var i = 0; i < parts.Length; i++)
                {
                    var exact = c.Total * (c.Weights[i] / sum);
                    Assert.True(
                        Math.Abs(parts[i] - exact) <= 0.01m,
                        $"{c.Councils[i]} got {parts[i]} for an exact share of {exact}");
                    Assert.True(
                        c.Weights[i] != 0m || parts[i] == 0m,
                        $"{c.Councils[i]} has no weight but got {parts[i]}");
                    Assert.True(Money.HasAtMostTwoPlaces(parts[i]));
                }
            },
            iter: Generators.Iterations);

    [Fact]
    public void The_order_councils_are_listed_in_makes_no_difference() =>
        Gen.OneOf(Generators.Split(Generators.Weight), Generators.Split(Generators.FineWeight)).Sample(
            c =>
            {
                var original = Split(c);
                var order = Enumerable.Range(0, c.Weights.Length).ToArray();
                new Random(c.Seed).Shuffle(order);
                var shuffled = c with
                {
                    Weights = [.. order.Select(i => c.Weights[i])],
                    Councils = [.. order.Select(
                    i => c.Councils[i])]
                };
                var reordered = Split(shuffled);
                for (var k = 0; k < order.Length; k++)
                {
                    Assert.Equal(original[order[k]], reordered[k]);
                }
            },
            iter: Generators.Iterations);

    [Fact]
    public void Matches_the_exact_rational_statement_of_the_rule() =>
        Generators.Split(Generators.Weight).Sample(
            c => Assert.Equal(ReferenceSplit.Allocate(c.Total, c.Weights, c.Councils), Split(c)),
            iter: Generators.Iterations);

    [Fact]
    public void A_credit_splits_as_the_mirror_image_of_the_same_cost() =>
        Generators.Split(Generators.Weight).Sample(
            c => Assert.Equal(Split(c).Select(p => -p), Split(c with { Total = -c.Total })),
            iter: Generators.Iterations);
}
