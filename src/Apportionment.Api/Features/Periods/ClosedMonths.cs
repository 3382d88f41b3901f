using Apportionment.Api.Features.Shared;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Features.Periods;

/// <summary>A closed month's figures have been sent to councils: nothing may change them afterwards.</summary>
public sealed class ClosedMonths(ApportionmentDb db)
{
    public async Task EnsureOpenAsync(string service, DateOnly month, CancellationToken ct)
    {
        // Share a lock with CloseMonth, so a posting cannot slip into a month while it is being closed.
        await db.Database.ExecuteSqlInterpolatedAsync($"select pg_advisory_xact_lock_shared(hashtext({service}))", ct);
        if (await db.ClosedMonths.AnyAsync(c => c.ServiceCode == service && c.Month == month, ct))
        {
            throw new ConflictException($"{month.ToMonthText()} is closed for '{service}': its statements have been issued and cannot change.", ProblemTypes.ClosedPeriod);
        }
    }

    /// <summary>
    /// An agreement stays in force from its month until a later one supersedes it, so putting one in force from
    /// <paramref name="from"/> would re-split every month from then on: none of them may be closed.
    /// </summary>
    public async Task EnsureNoneClosedFromAsync(string service, DateOnly from, CancellationToken ct)
    {
        await db.Database.ExecuteSqlInterpolatedAsync($"select pg_advisory_xact_lock_shared(hashtext({service}))", ct);
        var closed = await db.ClosedMonths.Where(c => c.ServiceCode == service && c.Month >= from).OrderBy(c => c.Month).Select(c => (DateOnly?)c.Month).FirstOrDefaultAsync(ct);
        if (closed is { } month)
        {
            throw new ConflictException(
                $"{month.ToMonthText()} is closed for '{service}': an agreement in force from {from.ToMonthText()} would change its issued statements. Propose it from a month after the last closed month.",
                ProblemTypes.ClosedPeriod);
        }
    }

    /// <summary>The first month on or after <paramref name="from"/> that is still open: where a late correction lands.</summary>
    public async Task<DateOnly> EarliestOpenFromAsync(string service, DateOnly from, CancellationToken ct)
    {
        await db.Database.ExecuteSqlInterpolatedAsync($"select pg_advisory_xact_lock_shared(hashtext({service}))", ct);
        var closed = await db.ClosedMonths.Where(c => c.ServiceCode == service && c.Month >= from).Select(c => c.Month).ToListAsync(ct);
        var month = from;
        while (closed.Contains(month))
        {
            month = month.AddMonths(1);
        }

        return month;
    }
}
