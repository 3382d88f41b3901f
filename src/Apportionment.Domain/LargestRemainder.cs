using System.Buffers;
using System.Numerics;

namespace Apportionment.Domain;

/// <summary>
/// Splits an amount in proportion to weights so the parts add up to the penny (largest remainder method).
/// Each council first gets its exact share truncated toward zero to the penny; the pennies left over
/// (negative pennies for a credit) go one each to the largest truncated remainders, ties to the larger
/// exact share, then to the ordinal-first council code. A council with zero weight always gets zero.
/// </summary>
public static class LargestRemainder
{
    // Partnerships have a handful of councils; beyond this the scratch buffer is pooled instead of on the stack.
    private const int StackCouncils = 16;

    // Integer arithmetic is exact and several times faster than decimal; it covers every weight with up to
    // 18 decimal places whose scaled value fits in 63 bits, i.e. every realistic percentage or activity figure.
    private const int MaxExactScale = 18;

    // Totals up to ~£92 quadrillion fit in 63 bits of pennies; anything larger takes the decimal fallback.
    private const decimal MaxExactTotal = 92_233_720_368_547_758.07m;

    private static readonly long[] PowersOfTen = BuildPowersOfTen();

    /// <summary>
    /// Hot path with no heap allocation. <paramref name="total"/> must be whole pennies; weights must be
    /// non-negative with at least one positive; <paramref name="councils"/> are the tie-break keys.
    /// </summary>
    public static void Allocate(
        decimal total,
        ReadOnlySpan<decimal> weights,
        ReadOnlySpan<string> councils,
        Span<decimal> result)
    {
        var n = weights.Length;
        if (n == 0)
        {
            throw new ArgumentException("At least one council weight is required.", nameof(weights));
        }

        if (councils.Length != n || result.Length != n)
        {
            throw new ArgumentException("Weights, councils and result must have the same length.", nameof(councils));
        }

        if (!Money.HasAtMostTwoPlaces(total))
        {
            throw new ArgumentException($"Amount {total} has more than two decimal places.", nameof(total));
        }

        long[]? rentedLong = null;
        Span<long> scaled = n <= StackCouncils
            ? stackalloc long[StackCouncils]
            : (rentedLong = ArrayPool<long>.Shared.Rent(n));
        scaled = scaled[..n];
        try
        {
            if (TryScaleWeights(weights, scaled, out var sum) && Math.Abs(total) <= MaxExactTotal)
            {
                var pennies = SplitExactly(total, scaled, sum, result);
                DistributePennies(result, scaled, weights, councils, pennies);
            }
            else
            {
                AllocateApproximately(total, weights, councils, result);
            }
        }
        finally
        {
            if (rentedLong is not null)
            {
                ArrayPool<long>.Shared.Return(rentedLong);
            }
        }
    }

    /// <summary>Convenience form: returns each council's part in the order the weights were given.</summary>
    public static IReadOnlyList<CouncilAmount> Allocate(
        decimal total,
        IReadOnlyList<(string Council, decimal Weight)> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var w = new decimal[weights.Count];
        var c = new string[weights.Count];
        for (var i = 0; i < w.Length; i++)
        {
            (c[i], w[i]) = weights[i];
        }

        var result = new decimal[w.Length];
        Allocate(total, w, c, result);
        var amounts = new CouncilAmount[w.Length];
        for (var i = 0; i < amounts.Length; i++)
        {
            amounts[i] = new CouncilAmount(c[i], result[i]);
        }

        return amounts;
    }

    /// <summary>
    /// Writes each weight as an integer at a common scale (e.g. 33.3333% becomes 333333) so shares and
    /// remainders are exact integer ratios. False when a weight is too large or too fine for 63 bits.
    /// </summary>
    private static bool TryScaleWeights(ReadOnlySpan<decimal> weights, Span<long> scaled, out long sum)
    {
        sum = 0;
        var scale = 0;
        var positive = false;
        foreach (var w in weights)
        {
            if (w < 0m)
            {
                throw new ArgumentOutOfRangeException(nameof(weights), w, "Weights must not be negative.");
            }

            positive |= w != 0m;
            scale = Math.Max(scale, w.Scale);
        }

        if (!positive)
        {
            throw new ArgumentException("At least one weight must be greater than zero.", nameof(weights));
        }

        if (scale > MaxExactScale)
        {
            return false;
        }

        Span<int> bits = stackalloc int[4];
        for (var i = 0; i < weights.Length; i++)
        {
            decimal.GetBits(weights[i], bits);
            var mantissa = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
            if (bits[2] != 0 || mantissa > long.MaxValue)
            {
                return false;
            }

            var value = (Int128)mantissa * PowersOfTen[scale - weights[i].Scale];
            if (value > long.MaxValue - sum)
            {
                return false;
            }

            scaled[i] = (long)value;
            sum += scaled[i];
        }

        return true;
    }

    /// <summary>
    /// Truncated shares in pennies using integers: share = total × w / Σw. Replaces each scaled weight with
    /// its remainder (the same denominator for every council, so remainders compare directly).
    /// Returns the signed count of pennies still to hand out.
    /// </summary>
    private static long SplitExactly(decimal total, Span<long> scaledWeights, long sum, Span<decimal> result)
    {
        var totalPennies = (long)(total * 100m);
        var left = totalPennies;
        for (var i = 0; i < scaledWeights.Length; i++)
        {
            var numerator = (Int128)totalPennies * scaledWeights[i];
            long pennies;
            long remainder;
            if (numerator >= long.MinValue && numerator <= long.MaxValue)
            {
                // The common case stays in 64-bit hardware division.
                pennies = Math.DivRem((long)numerator, sum, out remainder);
            }
            else
            {
                var (q, r) = Int128.DivRem(numerator, sum);
                pennies = (long)q;
                remainder = (long)r;
            }

            result[i] = FromPennies(pennies);
            scaledWeights[i] = Math.Abs(remainder);
            left -= pennies;
        }

        return left;
    }

    /// <summary>
    /// Fallback for exotic weights (more than 18 places or beyond 63 bits): decimal arithmetic, whose
    /// 28-digit precision can at worst misplace a penny among councils but still sums exactly.
    /// </summary>
    private static void AllocateApproximately(
        decimal total,
        ReadOnlySpan<decimal> weights,
        ReadOnlySpan<string> councils,
        Span<decimal> result)
    {
        decimal[]? rented = null;
        Span<decimal> remainders = weights.Length <= StackCouncils
            ? stackalloc decimal[StackCouncils]
            : (rented = ArrayPool<decimal>.Shared.Rent(weights.Length));
        remainders = remainders[..weights.Length];
        try
        {
            var sum = 0m;
            foreach (var w in weights)
            {
                sum += w;
            }

            var totalPennies = total * 100m;
            var left = totalPennies;
            for (var i = 0; i < weights.Length; i++)
            {
                var exact = totalPennies * (weights[i] / sum);
                var pennies = decimal.Truncate(exact);
                result[i] = pennies * 0.01m;
                remainders[i] = Math.Abs(exact - pennies);
                left -= pennies;
            }

            DistributePennies(result, remainders, weights, councils, (long)left);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<decimal>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Hands out the leftover pennies one at a time to the largest remainder. A chosen council is marked
    /// with remainder −1 so it cannot receive a second penny in the same round.
    /// </summary>
    private static void DistributePennies<T>(
        Span<decimal> result,
        Span<T> remainders,
        ReadOnlySpan<decimal> weights,
        ReadOnlySpan<string> councils,
        long pennies)
        where T : INumber<T>
    {
        var step = pennies > 0 ? 0.01m : -0.01m;
        for (var k = Math.Abs(pennies); k > 0; k--)
        {
            var best = -1;
            for (var i = 0; i < remainders.Length; i++)
            {
                if (weights[i] != 0m && !T.IsNegative(remainders[i])
                    && (best < 0 || Ranks(i, best, result, remainders, councils)))
                {
                    best = i;
                }
            }

            if (best < 0)
            {
                // More pennies than councils can only arise from decimal rounding in the fallback: start a new round.
                for (var i = 0; i < remainders.Length; i++)
                {
                    remainders[i] = T.Zero;
                }

                k++;
                continue;
            }

            result[best] += step;
            remainders[best] = -T.One;
        }
    }

    private static bool Ranks<T>(
        int i,
        int j,
        ReadOnlySpan<decimal> result,
        ReadOnlySpan<T> remainders,
        ReadOnlySpan<string> councils)
        where T : INumber<T>
    {
        if (remainders[i] != remainders[j])
        {
            return remainders[i] > remainders[j];
        }

        // Equal remainders: the larger truncated share is the larger exact share.
        var a = Math.Abs(result[i]);
        var b = Math.Abs(result[j]);
        return a != b ? a > b : string.CompareOrdinal(councils[i], councils[j]) < 0;
    }

    private static decimal FromPennies(long pennies)
    {
        var magnitude = (ulong)Math.Abs(pennies);
        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, pennies < 0, 2);
    }

    private static long[] BuildPowersOfTen()
    {
        var powers = new long[MaxExactScale + 1];
        powers[0] = 1;
        for (var i = 1; i < powers.Length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }

        return powers;
    }
}
