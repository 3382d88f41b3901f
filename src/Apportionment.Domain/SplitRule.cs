using System.Collections.ObjectModel;
using System.Globalization;

namespace Apportionment.Domain;

/// <summary>
/// A validated rule for dividing a service's cost. Only constructed through the factories, so an
/// agreement can never hold percentages that miss 100 or name a council twice.
/// </summary>
public sealed class SplitRule
{
    // Percentages are agreed to at most four places (e.g. 33.3333); finer figures are almost always typos.
    private const int MaxPercentPlaces = 4;

    private SplitRule(
        SplitMethod method,
        string? driver,
        IReadOnlyList<string> councils,
        IReadOnlyList<CouncilShare> shares)
    {
        Method = method;
        Driver = driver;
        Councils = councils;
        Shares = shares;
    }

    public SplitMethod Method { get; }

    /// <summary>The activity driver's name (driver splits only).</summary>
    public string? Driver { get; }

    /// <summary>The councils party to the split, in ordinal order of code.</summary>
    public IReadOnlyList<string> Councils { get; }

    /// <summary>The agreed percentages in ordinal council order (fixed splits only; empty otherwise).</summary>
    public IReadOnlyList<CouncilShare> Shares { get; }

    public static SplitRule Fixed(IEnumerable<CouncilShare> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        var list = shares.ToList();
        ThrowIfInvalid(Validate(SplitMethod.Fixed, list, null, null));
        var ordered = list.OrderBy(s => s.Council, StringComparer.Ordinal).ToArray();
        return new SplitRule(
            SplitMethod.Fixed,
            null,
            Array.AsReadOnly(ordered.Select(s => s.Council).ToArray()),
            Array.AsReadOnly(ordered));
    }

    public static SplitRule Equal(IEnumerable<string> councils)
    {
        ArgumentNullException.ThrowIfNull(councils);
        var list = councils.ToList();
        ThrowIfInvalid(Validate(SplitMethod.Equal, null, list, null));
        return new SplitRule(SplitMethod.Equal, null, Ordered(list), []);
    }

    public static SplitRule ByDriver(string driver, IEnumerable<string> councils)
    {
        ArgumentNullException.ThrowIfNull(councils);
        var list = councils.ToList();
        ThrowIfInvalid(Validate(SplitMethod.Driver, null, list, driver));
        return new SplitRule(SplitMethod.Driver, driver, Ordered(list), []);
    }

    /// <summary>
    /// Checks a proposed rule without throwing; returns problems keyed like "shares", "shares[1].percent",
    /// "councils", "councils[0]" or "driver". Empty when the rule is valid.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> Validate(
        SplitMethod method,
        IReadOnlyList<CouncilShare>? shares,
        IReadOnlyList<string>? councils,
        string? driver)
    {
        var errors = new ValidationErrors();
        switch (method)
        {
            case SplitMethod.Fixed:
                ValidateShares(shares, errors);
                if (councils is { Count: > 0 })
                {
                    errors.Add("councils", "A fixed split lists its councils in shares, not councils.");
                }

                RejectDriver(driver, errors);
                break;
            case SplitMethod.Equal:
                ValidateCouncils(councils, errors);
                RejectShares(shares, errors);
                RejectDriver(driver, errors);
                break;
            case SplitMethod.Driver:
                if (string.IsNullOrWhiteSpace(driver))
                {
                    errors.Add("driver", "A driver split must name its activity driver, e.g. 'surveyor-hours'.");
                }

                ValidateCouncils(councils, errors);
                RejectShares(shares, errors);
                break;
            default:
                errors.Add("method", $"Unknown split method {method}.");
                break;
        }

        return errors.ToDictionary();
    }

    private static void ValidateShares(IReadOnlyList<CouncilShare>? shares, ValidationErrors errors)
    {
        if (shares is null || shares.Count == 0)
        {
            errors.Add("shares", "A fixed split needs at least one council share.");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var total = 0m;
        for (var i = 0; i < shares.Count; i++)
        {
            var share = shares[i];
            if (share is null)
            {
                errors.Add($"shares[{i}]", "The share is missing.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(share.Council))
            {
                errors.Add($"shares[{i}].council", "The council code is required.");
            }
            else if (!seen.Add(share.Council))
            {
                errors.Add($"shares[{i}].council", $"Council {share.Council} appears more than once.");
            }

            if (share.Percent <= 0m)
            {
                errors.Add($"shares[{i}].percent", "Each council's percentage must be greater than zero.");
            }
            else if (decimal.Round(share.Percent, MaxPercentPlaces) != share.Percent)
            {
                errors.Add($"shares[{i}].percent", $"Percentages may have at most {MaxPercentPlaces} decimal places.");
            }

            total += share.Percent;
        }

        if (total != 100m)
        {
            errors.Add("shares", string.Create(
                CultureInfo.InvariantCulture,
                $"The percentages must add up to exactly 100; they add up to {total}."));
        }
    }

    private static void ValidateCouncils(IReadOnlyList<string>? councils, ValidationErrors errors)
    {
        if (councils is null || councils.Count == 0)
        {
            errors.Add("councils", "At least one council must be listed.");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < councils.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(councils[i]))
            {
                errors.Add($"councils[{i}]", "The council code is required.");
            }
            else if (!seen.Add(councils[i]))
            {
                errors.Add($"councils[{i}]", $"Council {councils[i]} appears more than once.");
            }
        }
    }

    private static void RejectShares(IReadOnlyList<CouncilShare>? shares, ValidationErrors errors)
    {
        if (shares is { Count: > 0 })
        {
            errors.Add("shares", "Percentages apply only to a fixed split.");
        }
    }

    private static void RejectDriver(string? driver, ValidationErrors errors)
    {
        if (!string.IsNullOrEmpty(driver))
        {
            errors.Add("driver", "Only a driver split names an activity driver.");
        }
    }

    private static void ThrowIfInvalid(IReadOnlyDictionary<string, string[]> errors)
    {
        if (errors.Count > 0)
        {
            throw new SplitRuleException(errors);
        }
    }

    private static ReadOnlyCollection<string> Ordered(IEnumerable<string> councils) =>
        Array.AsReadOnly(councils.Order(StringComparer.Ordinal).ToArray());
}
