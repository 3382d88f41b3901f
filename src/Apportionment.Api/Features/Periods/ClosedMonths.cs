using Apportionment.Api.Features.Agreements;
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
        // Share a lock with CloseMonth, so a posting cannot slip into a month while it is being closed. The lock is
        // taken in the FROM clause, before the check runs, and both travel in one round trip on the posting hot path.
        var isClosed = await db.Database.SqlQuery<bool>($"""
            select exists (select 1 from closed_months where service_code = {service} and month = {month}) as "Value"
            from (select pg_advisory_xact_lock_shared(hashtext({service}))) as locked
            """).SingleAsync(ct);
        if (isClosed)
        {
            throw new ConflictException($"{month.ToMonthText()} is closed for '{service}': its statements have been issued and cannot change.", ProblemTypes.ClosedPeriod);
        }
    }

    /// <summary>
    /// An agreement effective from a month governs every month up to the next agreed agreement's; agreeing it must not
    /// rewrite a closed month among those.
    /// </summary>
    public async Task EnsureAgreementMonthsOpenAsync(string service, DateOnly effectiveFrom, CancellationToken ct)
    {
        await db.Database.ExecuteSqlInterpolatedAsync($"select pg_advisory_xact_lock_shared(hashtext({service}))", ct);
        var next = await db.SplitAgreements
            .Where(a => a.ServiceCode == service && a.Status == AgreementStatus.Agreed && a.EffectiveFrom > effectiveFrom)
            .MinAsync(a => (DateOnly?)a.EffectiveFrom, ct);
        var closed = await db.ClosedMonths
            .Where(c => c.ServiceCode == service && c.Month >= effectiveFrom && (next == null || c.Month < next))
            .OrderBy(c => c.Month).Select(c => (DateOnly?)c.Month).FirstOrDefaultAsync(ct);
        if (closed is { } month)
        {
            throw new ConflictException(
                $"{month.ToMonthText()} is closed for '{service}' and an agreement from {effectiveFrom.ToMonthText()} would change its issued figures; make the agreement effective from a later month.",
                ProblemTypes.ClosedPeriod);
        }
    }

    /// <summary>
    /// The first month on or after <paramref name="from"/> that is still open and within the service's run: where a late
    /// correction lands. 409 if there is none (every later month of an ended service is closed).
    /// </summary>
    public async Task<DateOnly> EarliestOpenFromAsync(SharedService service, DateOnly from, CancellationToken ct)
    {
        await db.Database.ExecuteSqlInterpolatedAsync($"select pg_advisory_xact_lock_shared(hashtext({service.Code}))", ct);
        var closed = await db.ClosedMonths.Where(c => c.ServiceCode == service.Code && c.Month >= from).Select(c => c.Month).ToListAsync(ct);
        var month = from < service.StartMonth ? service.StartMonth : from;
        while (closed.Contains(month) && service.Contains(month))
        {
            month = month.AddMonths(1);
        }

        if (!service.Contains(month))
        {
            throw new ConflictException(
                $"Every month of '{service.Code}' from {from.ToMonthText()} to its end month {service.EndMonth?.ToMonthText()} is closed: a correction has no open month of the service to land in.",
                ProblemTypes.ClosedPeriod);
        }

        return month;
    }
}
