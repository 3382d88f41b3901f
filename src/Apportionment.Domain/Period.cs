using System.Collections.ObjectModel;
using System.Globalization;

namespace Apportionment.Domain;

/// <summary>
/// A reporting period: one month ("2024-05"), a financial-year quarter ("2024-25-Q1" = Apr–Jun 2024)
/// or a UK financial year ("2024-25" = 1 April 2024 – 31 March 2025).
/// </summary>
/// <remarks>
/// "yyyy-NN" is read as a month when NN is 01–12, otherwise as a financial year. The two only clash for
/// financial years starting 2000–2011 (e.g. "2011-12"), which therefore parse as months; build those
/// years with <see cref="FinancialYear(int)"/>.
/// </remarks>
public sealed record Period
{
    private readonly ReadOnlyCollection<Month> _months;

    private Period(PeriodKind kind, Month first, Month last)
    {
        Kind = kind;
        First = first;
        Last = last;
        var months = new Month[last.Index - first.Index + 1];
        for (var i = 0; i < months.Length; i++)
        {
            months[i] = Month.FromIndex(first.Index + i);
        }

        _months = Array.AsReadOnly(months);
    }

    public PeriodKind Kind { get; }

    public Month First { get; }

    public Month Last { get; }

    /// <summary>The months of the period in calendar order.</summary>
    public IReadOnlyList<Month> Months => _months;

    /// <summary>The calendar year the period's financial year starts in.</summary>
    public int FinancialYearStart => First.FinancialYearStart;

    public bool Contains(Month m) => m >= First && m <= Last;

    public static Period ForMonth(Month m) => new(PeriodKind.Month, m, m);

    public static Period FinancialYear(int startYear)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(startYear, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(startYear, 9998);
        var first = new Month(startYear, 4);
        return new Period(PeriodKind.FinancialYear, first, first.AddMonths(11));
    }

    /// <summary>Quarter 1 is April–June, quarter 4 is January–March of the following calendar year.</summary>
    public static Period Quarter(int startYear, int quarter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(startYear, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(startYear, 9998);
        ArgumentOutOfRangeException.ThrowIfLessThan(quarter, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quarter, 4);
        var first = new Month(startYear, 4).AddMonths((quarter - 1) * 3);
        return new Period(PeriodKind.Quarter, first, first.AddMonths(2));
    }

    public static Period Parse(string s) =>
        TryParse(s, out var period, out var error) ? period! : throw new FormatException(error);

    public static bool TryParse(string? s, out Period? period, out string? error)
    {
        period = null;
        error = null;
        if (s is not null && s.Length == 7 && s[4] == '-'
            && PeriodText.TryDigits(s.AsSpan(0, 4), out var year)
            && PeriodText.TryDigits(s.AsSpan(5, 2), out var second)
            && year >= 1)
        {
            if (second is >= 1 and <= 12)
            {
                period = ForMonth(new Month(year, second));
                return true;
            }

            if (second == (year + 1) % 100 && year <= 9998)
            {
                period = FinancialYear(year);
                return true;
            }

            error = string.Create(CultureInfo.InvariantCulture, $"'{s}' is not a period: {second:D2} is neither a ")
                + string.Create(
                    CultureInfo.InvariantCulture,
                    $"month (01–12) nor the end of financial year {year}-{(year + 1) % 100:D2}.");
            return false;
        }

        if (s is not null && s.Length == 10 && s[4] == '-' && s[7] == '-' && s[8] == 'Q'
            && PeriodText.TryDigits(s.AsSpan(0, 4), out year)
            && PeriodText.TryDigits(s.AsSpan(5, 2), out second)
            && PeriodText.TryDigits(s.AsSpan(9, 1), out var quarter)
            && year is >= 1 and <= 9998)
        {
            if (second != (year + 1) % 100)
            {
                error = string.Create(
                    CultureInfo.InvariantCulture,
                    $"'{s}' is not a period: financial year {year} ends in {(year + 1) % 100:D2}, not {second:D2}.");
                return false;
            }

            if (quarter is < 1 or > 4)
            {
                error = $"'{s}' is not a period: the quarter must be Q1 (Apr–Jun) to Q4 (Jan–Mar).";
                return false;
            }

            period = Quarter(year, quarter);
            return true;
        }

        error = $"'{s}' is not a period; expected a month (2024-05), a financial year (2024-25) or a quarter "
            + "(2024-25-Q1).";
        return false;
    }

    public bool Equals(Period? other) =>
        other is not null && Kind == other.Kind && First == other.First && Last == other.Last;

    public override int GetHashCode() => HashCode.Combine(Kind, First, Last);

    public override string ToString()
    {
        var start = First.FinancialYearStart;
        return Kind switch
        {
            PeriodKind.Month => First.ToString(),
            PeriodKind.Quarter => string.Create(
                CultureInfo.InvariantCulture,
                $"{start:D4}-{(start + 1) % 100:D2}-Q{(First.FinancialYearPosition / 3) + 1}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{start:D4}-{(start + 1) % 100:D2}"),
        };
    }
}
