using System.Globalization;

namespace Apportionment.Domain;

/// <summary>
/// A calendar month, the unit every cost and activity figure is recorded in.
/// Stored as a single month index so period arithmetic is integer arithmetic.
/// </summary>
public readonly record struct Month : IComparable<Month>
{
    // Year 1..9999 keeps FirstDay representable as a DateOnly.
    private const int MinIndex = 1 * 12;
    private const int MaxIndex = (9999 * 12) + 11;

    private readonly int _index;

    public Month(int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9999);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        _index = (year * 12) + (month - 1);
    }

    public int Year => _index / 12;

    public int Number => (_index % 12) + 1;

    /// <summary>year*12 + (month-1): consecutive months have consecutive indexes.</summary>
    public int Index => _index;

    public DateOnly FirstDay => new(Year, Number, 1);

    /// <summary>The calendar year in which this month's UK financial year (April–March) starts.</summary>
    public int FinancialYearStart => Number >= 4 ? Year : Year - 1;

    /// <summary>0 for April … 11 for March: the month's position within its financial year.</summary>
    public int FinancialYearPosition => (Number + 8) % 12;

    public static Month FromIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, MinIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, MaxIndex);
        return new Month(index / 12, (index % 12) + 1);
    }

    public static Month FromDate(DateOnly d) => new(d.Year, d.Month);

    public Month AddMonths(int n) => FromIndex(checked(_index + n));

    public static Month Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return TryParse(s, out var month, out var error) ? month : throw new FormatException(error);
    }

    public static bool TryParse(string? s, out Month month) => TryParse(s, out month, out _);

    /// <summary>Accepts exactly "yyyy-MM" (e.g. "2024-05"); the error explains what was wrong.</summary>
    public static bool TryParse(string? s, out Month month, out string? error)
    {
        month = default;
        if (s is null || s.Length != 7 || s[4] != '-'
            || !PeriodText.TryDigits(s.AsSpan(0, 4), out var year)
            || !PeriodText.TryDigits(s.AsSpan(5, 2), out var number))
        {
            error = $"'{s}' is not a month; expected yyyy-MM, e.g. 2024-05.";
            return false;
        }

        if (number is < 1 or > 12)
        {
            error = $"'{s}' is not a month: the month number must be 01 to 12.";
            return false;
        }

        if (year < 1)
        {
            error = $"'{s}' is not a month: the year must be 0001 or later.";
            return false;
        }

        month = new Month(year, number);
        error = null;
        return true;
    }

    public int CompareTo(Month other) => _index.CompareTo(other._index);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Number:D2}");

    public static bool operator <(Month left, Month right) => left._index < right._index;

    public static bool operator <=(Month left, Month right) => left._index <= right._index;

    public static bool operator >(Month left, Month right) => left._index > right._index;

    public static bool operator >=(Month left, Month right) => left._index >= right._index;
}
