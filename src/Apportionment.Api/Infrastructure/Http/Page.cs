namespace Apportionment.Api.Infrastructure.Http;

/// <summary>The envelope of every list: the page of items and where it sits in the whole.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Offset, int Limit, int Total);

public static class Paging
{
    public const int DefaultLimit = 50;

    /// <summary>The same envelope over a list already in memory (e.g. months computed, not stored).</summary>
    public static Page<T> PageOf<T>(this IReadOnlyList<T> all, int? offset, int? limit)
    {
        var skip = offset ?? 0;
        var take = limit ?? DefaultLimit;
        return new Page<T>(all.Skip(skip).Take(take).ToList(), skip, take, all.Count);
    }

    public static async Task<Page<T>> PageAsync<T>(
        this IQueryable<T> query,
        int? offset,
        int? limit,
        CancellationToken ct)
    {
        var skip = offset ?? 0;
        var take = limit ?? DefaultLimit;
        var total = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(query, ct);
        var items = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions
            .ToListAsync(query.Skip(skip).Take(take), ct);
        return new Page<T>(items, skip, take, total);
    }
}
