namespace Apportionment.Domain;

/// <summary>
/// A council's saving from the partnership: what it would have spent alone less its share. Without a baseline there
/// is nothing to compare against, so baseline and saving are null rather than a made-up saving against 0.00.
/// </summary>
public sealed record CouncilSaving(string Council, decimal? Baseline, decimal Share, decimal? Saving)
{
    public static CouncilSaving Of(string council, decimal? baseline, decimal share)
        => new(council, baseline, share, baseline - share);
}
