using System.Collections.Frozen;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Apportionment.Api.Features.Ledger;

/// <summary>
/// What a council's statement was read from: the services the council belonged to, every service read (those and the
/// support services feeding them) and each one's ledger version as code=version (see ledger_versions.sql).
/// </summary>
public sealed record LedgerStamp(
    IReadOnlyCollection<string> Members, IReadOnlyCollection<string> Services, IReadOnlyCollection<string> Versions)
{
    /// <summary>
    /// The stamp as it is kept: its members and versions as sets, built once here rather than at every check of it.
    /// </summary>
    public LedgerStamp ToKept() => this with
    {
        Members = Members.ToFrozenSet(StringComparer.Ordinal),
        Versions = Versions.ToFrozenSet(StringComparer.Ordinal),
    };

    /// <summary>
    /// The same services and every version unchanged. Compared as sets: the database sorts by its own collation.
    /// </summary>
    public bool Matches(LedgerStamp now) =>
        SameSet(Members, now.Members) && SameSet(Versions, now.Versions);

    private static bool SameSet(IReadOnlyCollection<string> kept, IReadOnlyCollection<string> now) =>
        kept.Count == now.Count
        && (kept as IReadOnlySet<string> ?? kept.ToHashSet(StringComparer.Ordinal)).SetEquals(now);
}

public sealed class StatementCacheOptions
{
    public const string Section = "StatementCache";

    /// <summary>How many statements a replica keeps (council and period each); 0 keeps none.</summary>
    public int Entries { get; set; } = 4096;
}

/// <summary>
/// The council statements this replica has computed, each with the ledger stamp it was read at. A statement is the
/// ledger's most read figure and costs a read of every service the council belongs to plus their apportionment; while
/// the stamp is unchanged the same figures follow, so one small query (ledger_stamp) stands in for both. The versions
/// move in the transaction of every change they cover, so a statement kept is never answered after its figures moved,
/// whichever replica or script changed them. Least recently used statements go first when it is full.
/// </summary>
public sealed class StatementCache : IDisposable
{
    private readonly MemoryCache? _kept;
    private long _hits;
    private long _reads;

    public StatementCache(IOptions<StatementCacheOptions> options)
    {
        var entries = options.Value.Entries;
        _kept = entries > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = entries }) : null;
    }

    /// <summary>Statements answered from memory since start.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Statements read from the ledger since start.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    public KeptStatement? Find(string council, Period period) =>
        _kept?.Get<KeptStatement>((council, period.ToString()));

    public void Reused() => Interlocked.Increment(ref _hits);

    public void Keep(string council, Period period, KeptStatement statement)
    {
        Interlocked.Increment(ref _reads);
        _kept?.Set(
            (council, period.ToString()),
            statement with { Stamp = statement.Stamp.ToKept() },
            new MemoryCacheEntryOptions { Size = 1 });
    }

    public void Dispose() => _kept?.Dispose();
}

public sealed record KeptStatement(LedgerStamp Stamp, CouncilStatement Statement);
