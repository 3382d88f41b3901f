using System.Globalization;

namespace Apportionment.Domain;

/// <summary>
/// A partnership's agreed saving: from the base year's budget, each later year's target is the previous year's target
/// less <see cref="ReductionPercent"/>. Each year's target is rounded to the penny, half away from zero, before the
/// next year's is worked out from it, so every target can be checked by hand from the one before.
/// </summary>
public sealed record ReductionTarget(decimal ReductionPercent, int BaseYear)
{
    /// <summary>
    /// The target for the financial year starting in <paramref name="year"/>; null before the base year.
    /// </summary>
    public decimal? For(int year, decimal baseBudget)
    {
        if (year < BaseYear)
        {
            return null;
        }

        var target = Money.Normalise(baseBudget);
        for (var y = BaseYear; y < year; y++)
        {
            target = Next(target);
        }

        return target;
    }

    /// <summary>One year on: the target less the percentage, rounded to the penny (half away from zero).</summary>
    public decimal Next(decimal target) =>
        Money.Normalise(Math.Round(target * (100m - ReductionPercent) / 100m, 2, MidpointRounding.AwayFromZero));

    /// <summary>A reduction is more than 0% and less than 100%, to at most two decimal places.</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(
        decimal? reductionPercent,
        string field = "reductionPercent")
    {
        var errors = new ValidationErrors();
        if (reductionPercent is not { } p)
        {
            errors.Add(field, "Is required, e.g. 10 for a 10% cut a year.");
        }
        else if (p <= 0m || p >= 100m || decimal.Round(p, 2) != p)
        {
            errors.Add(field, string.Create(
                CultureInfo.InvariantCulture,
                $"Must be more than 0 and less than 100, with at most two decimal places; {p} given."));
        }

        return errors.ToDictionary();
    }
}
