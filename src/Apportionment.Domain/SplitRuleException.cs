namespace Apportionment.Domain;

/// <summary>
/// A split rule that breaks the partnership rules; <see cref="Errors"/> is keyed by the offending field.
/// </summary>
public sealed class SplitRuleException : Exception
{
    public SplitRuleException(IReadOnlyDictionary<string, string[]> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    public IReadOnlyDictionary<string, string[]> Errors { get; }

    private static string Describe(IReadOnlyDictionary<string, string[]> errors) =>
        "The split rule is invalid: " + string.Join(" ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")));
}
