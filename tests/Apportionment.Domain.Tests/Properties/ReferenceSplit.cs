using System.Numerics;

namespace Apportionment.Domain.Tests.Properties;

/// <summary>
/// An independent, slow statement of the largest-remainder rule in exact rational arithmetic (BigInteger),
/// used as the oracle for the fast implementation.
/// </summary>
internal static class ReferenceSplit
{
    public static decimal[] Allocate(decimal total, decimal[] weights, string[] councils)
    {
        var scale = weights.Max(w => w.Scale);
        var scaled = weights.Select(w => Mantissa(w) * BigInteger.Pow(10, scale - w.Scale)).ToArray();
        var sum = scaled.Aggregate(BigInteger.Zero, (a, b) => a + b);
        var totalPennies = (BigInteger)(total * 100m);

        var floors = new BigInteger[weights.Length];
        var remainders = new BigInteger[weights.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            floors[i] = BigInteger.DivRem(totalPennies * scaled[i], sum, out var r);
            remainders[i] = BigInteger.Abs(r);
        }

        var left = totalPennies - floors.Aggregate(BigInteger.Zero, (a, b) => a + b);
        var order = Enumerable.Range(0, weights.Length)
            .Where(i => weights[i] != 0m)
            .OrderByDescending(i => remainders[i])
            .ThenByDescending(i => BigInteger.Abs(floors[i]))
            .ThenBy(i => councils[i], StringComparer.Ordinal)
            .Take((int)BigInteger.Abs(left));
        foreach (var i in order)
        {
            floors[i] += left.Sign;
        }

        return [.. floors.Select(f => (decimal)f / 100m)];
    }

    private static BigInteger Mantissa(decimal w)
    {
        var bits = decimal.GetBits(w);
        var magnitude = ((BigInteger)(uint)bits[2] << 64) | ((BigInteger)(uint)bits[1] << 32) | (uint)bits[0];
        return w < 0 ? -magnitude : magnitude;
    }
}
