namespace Apportionment.Domain.Tests.Properties;

/// <summary>Input generators shaped like council finance data: pennies, percentages, hours.</summary>
internal static class Generators
{
    public const int Iterations = 10_000;

    /// <summary>
    /// Amounts from a few pence (where ties are common) to hundreds of millions of pounds, costs and credits.
    /// </summary>
    public static readonly Gen<decimal> Amount = Gen.OneOf(
        Gen.Long[-1_000, 1_000],
        Gen.Long[-100_000_000_00L, 100_000_000_00L]).Select(pennies => pennies * 0.01m);

    /// <summary>
    /// Weights the exact integer path handles: 4 dp percentages, whole and half hours, unit weights, zeros.
    /// </summary>
    public static readonly Gen<decimal> Weight = Gen.Frequency(
        (3, Gen.Int[1, 1_000_000].Select(i => i * 0.0001m)),
        (3, Gen.Int[0, 4_000].Select(i => i * 0.5m)),
        (2, Gen.Int[0, 3].Select(i => (decimal)i)),
        (1, Gen.Long[0, 1_000_000_000_000L].Select(l => l * 0.000001m)));

    /// <summary>Weights with 20 decimal places, which force the decimal fallback.</summary>
    public static readonly Gen<decimal> FineWeight = Gen.Long[1, 100_000_000_000_000_000L]
        .Select(l => l * 0.00000000000000000001m);

    public static Gen<SplitCase> Split(Gen<decimal> weight) =>
        from n in Gen.Int[1, 12]
        from total in Amount
        from weights in weight.Array[n].Where(ws => ws.Any(w => w > 0m))
        from codes in Gen.Int[0, 9_999].Array[n].Where(cs => cs.Distinct().Count() == cs.Length)
        from seed in Gen.Int
        select new SplitCase(total, weights, [.. codes.Select(c => $"C{c:D4}")], seed);
}

/// <summary>One split to test; Seed drives any reshuffling so failures reproduce.</summary>
internal sealed record SplitCase(decimal Total, decimal[] Weights, string[] Councils, int Seed)
{
    public override string ToString() =>
        $"{Total} over [{string.Join(", ", Councils.Zip(Weights, (c, w) => $"{c}:{w}"))}] seed {Seed}";
}
