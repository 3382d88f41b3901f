namespace Apportionment.Domain;

/// <summary>Who bears part of a support service's cost: a shared service it supports, or a council directly.</summary>
public readonly record struct Recipient(string Code, bool IsService)
{
    public static Recipient Council(string code) => new(code, false);

    public static Recipient Service(string code) => new(code, true);

    /// <summary>
    /// Councils before services, then ordinal code: the order rules list recipients in and the last tie-break.
    /// </summary>
    public static readonly IComparer<Recipient> Order = Comparer<Recipient>.Create((a, b) =>
        a.IsService != b.IsService ? (a.IsService ? 1 : -1) : string.CompareOrdinal(a.Code, b.Code));

    /// <summary>
    /// The key largest remainder breaks ties on; keeps councils in the same order among themselves as today.
    /// </summary>
    internal string TieKey => (IsService ? "S:" : "C:") + Code;

    public override string ToString() => Code;
}
