namespace Apportionment.Domain.Tests.Properties;

public class SettlementProperties
{
    private static readonly Gen<long> Pennies = Gen.Frequency(
        (1, Gen.Const(0L)),
        (4, Gen.Long[-10_000_000_00L, 10_000_000_00L]));

    /// <summary>Shares and payments that balance; zero payments are left out to exercise "missing = 0".</summary>
    private static readonly Gen<SettlementCase> Cases =
        from n in Gen.Int[1, 8]
        from shares in Pennies.Array[n]
        from paid in Pennies.Array[n]
        from hostIndex in Gen.Int[0, n]
        from model in Gen.OneOf(Gen.Const(SettlementModel.Host), Gen.Const(SettlementModel.Netting))
        select Build(model, shares, paid, hostIndex);

    private static SettlementCase Build(SettlementModel model, long[] shares, long[] paid, int hostIndex)
    {
        // The last council's payment makes the books balance.
        paid[^1] += shares.Sum() - paid.Sum();
        var codes = Enumerable.Range(0, shares.Length).Select(i => $"C{(i * 7) % 10}{i}").ToArray();
        var host = hostIndex < codes.Length ? codes[hostIndex] : "HOST-OUTSIDE";
        return new SettlementCase(
            model,
            host,
            codes.Select((c, i) => (c, shares[i])).ToDictionary(x => x.c, x => x.Item2 * 0.01m),
            codes.Select((c, i) => (c, paid[i])).Where(x => x.Item2 != 0).ToDictionary(x => x.c, x => x.Item2 * 0.01m));
    }

    [Fact]
    public void Every_council_ends_up_bearing_exactly_its_share() =>
        Cases.Sample(
            c =>
            {
                var transfers = Settlement.Settle(c.Model, c.Host, c.Shares, c.Paid);
                var councils = c.Shares.Keys.Append(c.Host).Distinct();
                foreach (var council in councils)
                {
                    var received = transfers.Where(t => t.To == council).Sum(t => t.Amount);
                    var sent = transfers.Where(t => t.From == council).Sum(t => t.Amount);
                    // What a council bears = what it paid for the service + what it sends partners − what it gets back.
                    Assert.Equal(
                        c.Shares.GetValueOrDefault(council),
                        c.Paid.GetValueOrDefault(council) + sent - received);
                }

                Assert.Equal(0m, councils.Sum(council => transfers.Where(t => t.To == council).Sum(t => t.Amount)
                    - transfers.Where(t => t.From == council).Sum(t => t.Amount)));
                Assert.All(transfers, t =>
                {
                    Assert.True(t.Amount > 0m);
                    Assert.True(Money.HasAtMostTwoPlaces(t.Amount));
                    Assert.NotEqual(t.From, t.To);
                });
            },
            iter: Generators.Iterations);

    [Fact]
    public void Host_model_settles_every_partner_with_the_host_once() =>
        Cases.Select(c => c with { Model = SettlementModel.Host }).Sample(
            c =>
            {
                var transfers = Settlement.Settle(c.Model, c.Host, c.Shares, c.Paid);
                Assert.All(transfers, t => Assert.True(t.From == c.Host || t.To == c.Host));
                var partners = transfers.Select(t => t.From == c.Host ? t.To : t.From).ToList();
                Assert.Equal(partners.Count, partners.Distinct().Count());
            },
            iter: Generators.Iterations);

    [Fact]
    public void Netting_needs_fewer_transfers_than_councils_out_of_balance() =>
        Cases.Select(c => c with { Model = SettlementModel.Netting }).Sample(
            c =>
            {
                var transfers = Settlement.Settle(c.Model, c.Host, c.Shares, c.Paid);
                var unbalanced = c.Shares.Keys.Count(k => c.Shares[k] != c.Paid.GetValueOrDefault(k));
                Assert.True(
                    transfers.Count <= Math.Max(0, unbalanced - 1),
                    $"{transfers.Count} transfers for {unbalanced} councils");
            },
            iter: Generators.Iterations);
}

internal sealed record SettlementCase(
    SettlementModel Model,
    string Host,
    Dictionary<string, decimal> Shares,
    Dictionary<string, decimal> Paid)
{
    public override string ToString() =>
        $"{Model} host {Host}; shares {string.Join(", ", Shares.Select(s => $"{s.Key}:{s.Value}"))}; paid "
            + $"{string.Join(", ", Paid.Select(s => $"{s.Key}:{s.Value}"))}";
}
