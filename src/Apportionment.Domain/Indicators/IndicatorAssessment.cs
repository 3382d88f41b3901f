namespace Apportionment.Domain.Indicators;

/// <summary>Which way an indicator improves: more decisions in time is better, more days lost is worse.</summary>
public enum Polarity
{
    HigherIsBetter,
    LowerIsBetter,
}

/// <summary>How an actual figure stands against its target.</summary>
public enum IndicatorStatus
{
    Met,
    Near,
    Missed,
}

/// <summary>How a period compares with the same period a year earlier, judged by the indicator's polarity.</summary>
public enum Trend
{
    Better,
    Same,
    Worse,
}

/// <summary>
/// Actual against target for a performance indicator. met: the actual is the target or better. near: worse than the
/// target by no more than <see cref="NearPercent"/> percent of the target's size (so 88% against a 90% target is near,
/// 85% is missed). missed: further off. With no actual or no target there is no status (null), never a guess.
/// </summary>
public static class IndicatorAssessment
{
    /// <summary>The default band for near: within 5% of the target.</summary>
    public const decimal NearPercent = 5m;

    public static IndicatorStatus? StatusOf(
        decimal? actual,
        decimal? target,
        Polarity polarity,
        decimal nearPercent = NearPercent)
    {
        if (actual is not { } a || target is not { } t)
        {
            return null;
        }

        ArgumentOutOfRangeException.ThrowIfNegative(nearPercent);
        // Shortfall: how far the actual is on the wrong side of the target (0 or less when met).
        var shortfall = polarity == Polarity.HigherIsBetter ? t - a : a - t;
        if (shortfall <= 0m)
        {
            return IndicatorStatus.Met;
        }

        return shortfall * 100m <= nearPercent * Math.Abs(t) ? IndicatorStatus.Near : IndicatorStatus.Missed;
    }

    /// <summary>Better, the same or worse than a year earlier; null when either figure is missing.</summary>
    public static Trend? TrendOf(decimal? current, decimal? lastYear, Polarity polarity)
    {
        if (current is not { } c || lastYear is not { } l)
        {
            return null;
        }

        var change = polarity == Polarity.HigherIsBetter ? c - l : l - c;
        return change > 0m ? Trend.Better : change < 0m ? Trend.Worse : Trend.Same;
    }
}
