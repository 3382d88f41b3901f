using System.Numerics;

namespace Apportionment.Domain;

/// <summary>
/// An exact rational number, always in lowest terms with a positive denominator: no tolerance, no drift.
/// </summary>
internal readonly record struct Fraction
{
    private Fraction(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero)
        {
            throw new DivideByZeroException();
        }

        if (denominator.Sign < 0)
        {
            (numerator, denominator) = (-numerator, -denominator);
        }

        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        (Numerator, Denominator) = gcd.IsOne || gcd.IsZero
            ? (numerator, denominator)
            : (numerator / gcd, denominator / gcd);
    }

    public BigInteger Numerator { get; }

    public BigInteger Denominator { get; }

    public static Fraction Zero => new(BigInteger.Zero, BigInteger.One);

    public static Fraction One => new(BigInteger.One, BigInteger.One);

    public bool IsZero => Numerator.IsZero;

    public static Fraction Of(BigInteger numerator, BigInteger denominator) => new(numerator, denominator);

    /// <summary>A decimal exactly, e.g. 33.3333 becomes 333333/10000.</summary>
    public static Fraction Of(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var magnitude = new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32)
            | (new BigInteger((uint)bits[2]) << 64);
        var scale = (bits[3] >> 16) & 0xFF;
        return new(value < 0 ? -magnitude : magnitude, BigInteger.Pow(10, scale));
    }

    public static Fraction operator +(Fraction a, Fraction b)
        => new((a.Numerator * b.Denominator) + (b.Numerator * a.Denominator), a.Denominator * b.Denominator);

    public static Fraction operator -(Fraction a, Fraction b)
        => new((a.Numerator * b.Denominator) - (b.Numerator * a.Denominator), a.Denominator * b.Denominator);

    public static Fraction operator *(Fraction a, Fraction b)
        => new(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    public static Fraction operator /(Fraction a, Fraction b)
        => new(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    /// <summary>
    /// Pounds to the nearest penny, halves away from zero: the one rounding the reciprocal method makes.
    /// </summary>
    public decimal ToPennies()
    {
        var pennies = BigInteger.DivRem(Numerator * 200, Denominator, out _);
        var rounded = (pennies + pennies.Sign) / 2;
        return (decimal)rounded / 100m;
    }
}
