using System.Globalization;
using System.Text.RegularExpressions;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Pipeline;
using Apportionment.Domain;
using Apportionment.Domain.Indicators;

namespace Apportionment.Api.Features.Partnerships;

/// <summary>The words an indicator is described in, and how its periods are written.</summary>
public static partial class IndicatorRules
{
    public const string HigherIsBetter = "higher-is-better";
    public const string LowerIsBetter = "lower-is-better";
    public const string Monthly = "monthly";
    public const string Quarterly = "quarterly";

    /// <summary>
    /// The service's own figure is stored under this council code; councils' own figures under theirs.
    /// </summary>
    public const string WholeService = "";

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,63}$")]
    private static partial Regex KeyPattern();

    public static void Key(this ValidationErrors errors, string field, string? key)
    {
        if (key is null || !KeyPattern().IsMatch(key))
        {
            errors.Add(field, "Must be 2–64 characters of a–z, 0–9 and '-', starting with a letter or digit.");
        }
    }

    /// <summary>Indicator figures: at most four decimal places, less than a trillion in size.</summary>
    public static void Figure(this ValidationErrors errors, string field, decimal? value, bool required = true)
    {
        if (value is not { } v)
        {
            if (required)
            {
                errors.Add(field, "Is required.");
            }
        }
        else if (decimal.Round(v, 4) != v || Math.Abs(v) >= 1_000_000_000_000m)
        {
            errors.Add(field, "Must have at most four decimal places and be less than 1,000,000,000,000 in size.");
        }
    }

    /// <summary>
    /// A financial year as "2025-26". Written out rather than through Period.Parse, which reads "2008-09" (a year a
    /// business case may well measure from) as September 2008.
    /// </summary>
    public static Period? FinancialYear(string? text) =>
        text is { Length: 7 } && text[4] == '-'
            && int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            && int.TryParse(
                text.AsSpan(5, 2),
                NumberStyles.None,
                CultureInfo.InvariantCulture,
                out var end)
            && year is >= 1 and <= 9998
            && end == (year + 1) % 100
            ? Period.FinancialYear(year)
            : null;

    public static Polarity PolarityOf(Indicator indicator) =>
        indicator.Polarity == LowerIsBetter ? Polarity.LowerIsBetter : Polarity.HigherIsBetter;

    /// <summary>
    /// The indicator's month or quarter that ends <paramref name="period"/> (March or Q4 for a whole year).
    /// </summary>
    public static Period ReportingPeriod(string frequency, Period period) =>
        frequency == Quarterly ? QuarterOf(period.Last) : Period.ForMonth(period.Last);

    /// <summary>Each of the indicator's months or quarters in a financial year, April first.</summary>
    public static IReadOnlyList<Period> PeriodsOf(string frequency, Period year) =>
        frequency == Quarterly
            ? [.. Enumerable.Range(1, 4).Select(q => Period.Quarter(year.FinancialYearStart, q))]
            : [.. year.Months.Select(Period.ForMonth)];

    public static Period QuarterOf(Month month)
        => Period.Quarter(month.FinancialYearStart, (month.FinancialYearPosition / 3) + 1);

    /// <summary>The same period a year earlier.</summary>
    public static Period YearEarlier(Period period) => period.Kind switch
    {
        PeriodKind.Month => Period.ForMonth(period.First.AddMonths(-12)),
        PeriodKind.Quarter => QuarterOf(period.First.AddMonths(-12)),
        _ => Period.FinancialYear(period.FinancialYearStart - 1),
    };

    /// <summary>The target for the financial year the period falls in, if one was set.</summary>
    public static decimal? TargetFor(Indicator indicator, Period period) =>
        indicator.Targets.TryGetValue(Period.FinancialYear(period.FinancialYearStart).ToString(), out var t) ? t : null;

    public static string StatusText(IndicatorStatus? status, decimal? actual, decimal? target) => status switch
    {
        IndicatorStatus.Met => "met",
        IndicatorStatus.Near => "near",
        IndicatorStatus.Missed => "missed",
        _ => actual is null ? "no-value" : target is null ? "no-target" : "no-value",
    };

    public static string? TrendText(Trend? trend) => trend switch
    {
        Trend.Better => "better",
        Trend.Worse => "worse",
        Trend.Same => "same",
        _ => null,
    };
}
