namespace Apportionment.Domain;

/// <summary>Sterling amounts: always exactly two decimal places, never silently rounded.</summary>
public static class Money
{
    /// <summary>
    /// True when the value has no fraction of a penny. Checks the value, not the stored scale,
    /// so 1.230m is accepted (it is £1.23) while 1.234m is rejected.
    /// </summary>
    public static bool HasAtMostTwoPlaces(decimal amount) => decimal.Round(amount, 2) == amount;

    /// <summary>Display rounding for derived figures (percentages, ratios); never used on ledger amounts.</summary>
    public static decimal Round2(decimal v) => Math.Round(v, 2, MidpointRounding.AwayFromZero);

    /// <summary>Gives the amount a scale of exactly two so it prints as "12.30", not "12.3".</summary>
    public static decimal Normalise(decimal amount)
    {
        if (!HasAtMostTwoPlaces(amount))
        {
            throw new ArgumentException($"Amount {amount} has more than two decimal places.", nameof(amount));
        }

        // Rounding to 2 places fixes the scale at 2 when it was larger; adding 0.00m raises it when smaller.
        return decimal.Round(amount, 2) + 0.00m;
    }
}
