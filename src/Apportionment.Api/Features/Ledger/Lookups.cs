namespace Apportionment.Api.Features.Ledger;

public static class Lookups
{
    /// <summary>
    /// Compiled once: the read every write starts with (a posting's first round trip), so EF Core's per-call work of
    /// turning the expression into a cached query is skipped.
    /// </summary>
    private static readonly Func<ApportionmentDb, string, CancellationToken, Task<SharedService?>> ServiceWithMembers =
        EF.CompileAsyncQuery((ApportionmentDb db, string code, CancellationToken ct) =>
            db.SharedServices.AsNoTracking().Include(s => s.Members).SingleOrDefault(s => s.Code == code));

    /// <summary>
    /// The service with its members; 404 if unknown or if the caller's council is not a member (the same answer, so a
    /// council key cannot tell the two apart). <paramref name="hidden"/> is the 404 to give instead when the service
    /// was reached through something else, e.g. a posting's id.
    /// </summary>
    public static async Task<SharedService> ServiceForAsync(
        this ApportionmentDb db, string code, Caller caller, CancellationToken ct, bool tracked = false,
        NotFoundException? hidden = null)
    {
        var service = tracked
            ? await db.SharedServices.Include(s => s.Members).SingleOrDefaultAsync(s => s.Code == code, ct)
            : await ServiceWithMembers(db, code, ct);
        if (service is null || !caller.CanSee(service.Members.Select(m => m.Council)))
        {
            throw hidden ?? new NotFoundException("Shared service", code);
        }

        return service;
    }

    /// <summary>
    /// <see cref="ServiceForAsync"/> from this replica's <see cref="ServiceCache"/> when it holds the service: the
    /// posting path's read, costing no round trip. The instance is shared between requests and must not be changed;
    /// a write that relies on it re-checks it in the database (see OneBatchWrite).
    /// </summary>
    public static async Task<SharedService> CachedServiceForAsync(
        this ApportionmentDb db,
        ServiceCache cache,
        string code,
        Caller caller,
        CancellationToken ct)
    {
        var service = await cache.GetAsync(code, (c, token) => ServiceWithMembers(db, c, token), ct);
        if (service is null || !caller.CanSee(service.Members.Select(m => m.Council)))
        {
            throw new NotFoundException("Shared service", code);
        }

        return service;
    }

    /// <summary>
    /// The codes of the services a council belongs to, in one round trip with the check that it exists (404).
    /// </summary>
    public static async Task<List<string>> ServicesOfCouncilAsync(
        this ApportionmentDb db,
        string council,
        CancellationToken ct) =>
        await db.Councils.AsNoTracking().Where(c => c.Code == council)
            .Select(c => db.ServiceMembers.Where(m => m.Council == c.Code).Select(m => m.ServiceCode).ToList())
            .SingleOrDefaultAsync(ct)
        ?? throw new NotFoundException("Council", council);

    /// <summary>
    /// Councils in the list that are not registered: named in one 400 so the caller fixes them all at once.
    /// </summary>
    public static async Task EnsureCouncilsExistAsync(
        this ApportionmentDb db,
        string field,
        IReadOnlyCollection<string> codes,
        CancellationToken ct)
    {
        var known = await db.Councils.Where(c => codes.Contains(c.Code)).Select(c => c.Code).ToListAsync(ct);
        var unknown = codes.Except(known, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw RequestValidationException.For(field, $"Unknown council(s): {string.Join(", ", unknown)}.");
        }
    }
}
