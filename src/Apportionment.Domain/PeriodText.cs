namespace Apportionment.Domain;

/// <summary>Strict digit parsing shared by month and period parsing (no signs, spaces or culture).</summary>
internal static class PeriodText
{
    public static bool TryDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return s.Length > 0;
    }
}
