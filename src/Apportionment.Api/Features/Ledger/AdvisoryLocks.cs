namespace Apportionment.Api.Features.Ledger;

/// <summary>
/// PostgreSQL advisory locks held to the end of the transaction. A service's code is the key of its ledger: closing a
/// month takes it exclusively, and every write a close must not overtake (a posting, through the database's
/// closed-month trigger; an agreement; a budget) takes it shared, so a month cannot close between a check and a write.
/// </summary>
public static class AdvisoryLocks
{
    /// <summary>
    /// The lock on <paramref name="key"/> alone: a month's close, or one council's activity return at a time.
    /// </summary>
    public static Task LockExclusiveAsync(this ApportionmentDb db, string key, CancellationToken ct) =>
        db.Database.ExecuteSqlInterpolatedAsync($"select pg_advisory_xact_lock(hashtext({key}))", ct);

    public static Task LockSharedAsync(this ApportionmentDb db, string key, CancellationToken ct) =>
        db.Database.ExecuteSqlInterpolatedAsync($"select pg_advisory_xact_lock_shared(hashtext({key}))", ct);

    /// <summary>
    /// Shared locks on several services' ledgers, taken in ordinal order so two writers cannot deadlock.
    /// </summary>
    public static Task LockSharedAsync(
        this ApportionmentDb db,
        IReadOnlyCollection<string> keys,
        CancellationToken ct) =>
        db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            select pg_advisory_xact_lock_shared(hashtext(code)) from unnest({keys.ToArray()}::text[]) as code
            order by code
            """,
            ct);
}
