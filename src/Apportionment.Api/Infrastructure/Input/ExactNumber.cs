using System.Numerics;

namespace Apportionment.Api.Infrastructure.Input;

/// <summary>
/// Whether a decimal number as written (JSON or CSV: sign, digits, point, exponent) is exactly a .NET decimal.
/// Parsing rounds what it cannot hold — 1e-400 becomes 0 and thirty-odd decimal places lose their tail — and a
/// rounded amount would then pass the two-places rule as something the client never sent.
/// </summary>
public static class ExactNumber
{
    private const int MaxDigits = 28;

    public static bool IsExactDecimal<T>(ReadOnlySpan<T> text) where T : IBinaryInteger<T>
    {
        var zero = T.CreateTruncating('0');
        var nine = T.CreateTruncating('9');
        var i = 0;
        if (i < text.Length && (text[i] == T.CreateTruncating('-') || text[i] == T.CreateTruncating('+')))
        {
            i++;
        }

        // Significant digits from the first non-zero one; `places` counts those after the point.
        int significant = 0, trailingZeros = 0, places = 0;
        var afterPoint = false;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c == T.CreateTruncating('.'))
            {
                afterPoint = true;
                continue;
            }

            if (c < zero || c > nine)
            {
                break;
            }

            places += afterPoint ? 1 : 0;
            if (significant == 0 && c == zero)
            {
                continue;
            }

            significant++;
            trailingZeros = c == zero ? trailingZeros + 1 : 0;
        }

        var exponent = 0L;
        if (i < text.Length && (text[i] == T.CreateTruncating('e') || text[i] == T.CreateTruncating('E')))
        {
            var negative = ++i < text.Length && text[i] == T.CreateTruncating('-');
            if (i < text.Length && (text[i] == T.CreateTruncating('-') || text[i] == T.CreateTruncating('+')))
            {
                i++;
            }

            for (; i < text.Length && text[i] >= zero && text[i] <= nine; i++)
            {
                exponent = Math.Min(exponent * 10 + int.CreateTruncating(text[i] - zero), 100_000);
            }

            exponent = negative ? -exponent : exponent;
        }

        if (significant == 0)
        {
            return true; // zero, however written
        }

        // value = digits × 10^(exponent − places); drop the trailing zeros of the digits first.
        var scale = places - exponent - trailingZeros;
        return significant - trailingZeros <= MaxDigits && scale <= MaxDigits;
    }
}
