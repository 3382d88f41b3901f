using System.Globalization;

namespace Apportionment.Domain;

/// <summary>A service the support service supports, with its agreed percentage for a fixed split.</summary>
public sealed record SupportedShare(string Service, decimal? Percent);

/// <summary>
/// How a support service's cost is recharged: to the services it supports and, optionally, to councils directly
/// (e.g. a corporate and democratic core part). Same methods as a split agreement: fixed percentages, equal, or a
/// driver reported per recipient per month. Only constructed through <see cref="Create"/>, so it is always valid.
/// </summary>
public sealed class SupportRule
{
    private const int MaxPercentPlaces = 4;

    /// <summary>
    /// The most services one support agreement may name: enough for any council's overhead schedule, and it bounds the
    /// work of each month's allocation (see docs, "Overheads").
    /// </summary>
    public const int MaxSupported = 20;

    private SupportRule(
        SplitMethod method,
        string? driver,
        IReadOnlyList<Recipient> recipients,
        IReadOnlyList<decimal> percents)
    {
        Method = method;
        Driver = driver;
        Recipients = recipients;
        Percents = percents;
    }

    public SplitMethod Method { get; }

    public string? Driver { get; }

    /// <summary>Councils first, then services, each in ordinal order.</summary>
    public IReadOnlyList<Recipient> Recipients { get; }

    /// <summary>
    /// Fixed splits: each recipient's percentage, in the order of <see cref="Recipients"/>; empty otherwise.
    /// </summary>
    public IReadOnlyList<decimal> Percents { get; }

    public static SupportRule Create(
        string service, SplitMethod method, IReadOnlyList<CouncilShare>? shares, IReadOnlyList<string>? councils,
        IReadOnlyList<SupportedShare>? supports, string? driver)
    {
        var errors = Validate(service, method, shares, councils, supports, driver);
        if (errors.Count > 0)
        {
            throw new SplitRuleException(errors);
        }

        var all = method == SplitMethod.Fixed
            ? (shares ?? []).Select(s => (Recipient.Council(s.Council), s.Percent))
                .Concat(supports!.Select(s => (Recipient.Service(s.Service), s.Percent!.Value)))
            : (councils ?? []).Select(c => (Recipient.Council(c), 1m))
                .Concat(supports!.Select(s => (Recipient.Service(s.Service), 1m)));
        var ordered = all.OrderBy(x => x.Item1, Recipient.Order).ToArray();
        return new SupportRule(
            method,
            method == SplitMethod.Driver ? driver!.Trim() : null,
            Array.AsReadOnly(ordered.Select(x => x.Item1).ToArray()),
            method == SplitMethod.Fixed ? Array.AsReadOnly(ordered.Select(x => x.Item2).ToArray()) : []);
    }

    /// <summary>
    /// Problems keyed by request field ("supports[0].service", "shares", …); empty when valid. A support service cannot
    /// support itself, and a code may appear once, so a driver figure always names one recipient.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> Validate(
        string service, SplitMethod method, IReadOnlyList<CouncilShare>? shares, IReadOnlyList<string>? councils,
        IReadOnlyList<SupportedShare>? supports, string? driver)
    {
        var errors = new ValidationErrors();

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var total = 0m;
        if (supports is null || supports.Count == 0)
        {
            errors.Add("supports", "A support agreement names at least one service it supports.");
        }
        else if (supports.Count > MaxSupported)
        {
            errors.Add("supports", $"A support agreement names at most {MaxSupported} services.");
        }
        else
        {
            for (var i = 0; i < supports.Count; i++)
            {
                var s = supports[i];
                if (s is null || string.IsNullOrWhiteSpace(s.Service))
                {
                    errors.Add($"supports[{i}].service", "The supported service's code is required.");
                    continue;
                }

                if (string.Equals(s.Service, service, StringComparison.Ordinal))
                {
                    errors.Add($"supports[{i}].service", "A support service cannot support itself.");
                }
                else if (!seen.Add(s.Service))
                {
                    errors.Add($"supports[{i}].service", $"{s.Service} appears more than once.");
                }

                total += Percent($"supports[{i}].percent", s.Percent);
            }
        }

        switch (method)
        {
            case SplitMethod.Fixed:
                if (councils is { Count: > 0 })
                {
                    errors.Add("councils", "A fixed split lists its councils in shares, not councils.");
                }

                for (var i = 0; i < (shares?.Count ?? 0); i++)
                {
                    var share = shares![i];
                    Code($"shares[{i}].council", share?.Council);
                    total += Percent($"shares[{i}].percent", share?.Percent);
                }

                if (total != 100m)
                {
                    errors.Add("supports", string.Create(
                        CultureInfo.InvariantCulture,
                        $"The percentages of supports and shares must add up to exactly 100; they add up to {total}."));
                }

                break;
            case SplitMethod.Equal or SplitMethod.Driver:
                if (shares is { Count: > 0 })
                {
                    errors.Add("shares", "Percentages apply only to a fixed split.");
                }

                for (var i = 0; i < (councils?.Count ?? 0); i++)
                {
                    Code($"councils[{i}]", councils![i]);
                }

                if (method == SplitMethod.Driver && string.IsNullOrWhiteSpace(driver))
                {
                    errors.Add("driver", "A driver split must name its activity driver, e.g. 'admin-hours'.");
                }

                break;
            default:
                errors.Add("method", $"Unknown split method {method}.");
                break;
        }

        if (method != SplitMethod.Driver && !string.IsNullOrEmpty(driver))
        {
            errors.Add("driver", "Only a driver split names an activity driver.");
        }

        return errors.ToDictionary();

        void Code(string field, string? code)
        {
            if (string.IsNullOrWhiteSpace(code))
            {
                errors.Add(field, "The council code is required.");
            }
            else if (!seen.Add(code))
            {
                errors.Add(field, $"{code} appears more than once among the recipients.");
            }
        }

        decimal Percent(string field, decimal? percent)
        {
            if (method != SplitMethod.Fixed)
            {
                if (percent is not null)
                {
                    errors.Add(field, "Percentages apply only to a fixed split.");
                }

                return 0m;
            }

            if (percent is not > 0m)
            {
                errors.Add(field, "Each recipient's percentage must be greater than zero.");
                return 0m;
            }

            if (decimal.Round(percent.Value, MaxPercentPlaces) != percent.Value)
            {
                errors.Add(field, $"Percentages may have at most {MaxPercentPlaces} decimal places.");
            }

            return percent.Value;
        }
    }
}
