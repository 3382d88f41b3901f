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
        // A support service's cost lands in the services it supports that month, so their closed months count too.
        var closedService = await db.Database.SqlQuery<string?>($"""
            select (select c.service_code from closed_months c
                    where c.month = {month} and (c.service_code = {service} or c.service_code = any(coalesce((
                        select a.supports from split_agreements a
                        where a.service_code = {service} and a.status = 'agreed' and a.effective_from <= {month}
                        order by a.effective_from desc, a.agreed_at desc limit 1), array[]::text[])))
                    order by c.service_code <> {service} limit 1) as "Value"
            from (select pg_advisory_xact_lock_shared(hashtext({service}))) as locked
            """).SingleAsync(ct);
        if (closedService == service)
        {
            throw new ConflictException($"{month.ToMonthText()} is closed for '{service}': its statements have been issued and cannot change.", ProblemTypes.ClosedPeriod);
        }

        if (closedService is not null)
        {
            throw new ConflictException(
                $"{month.ToMonthText()} is closed for '{closedService}', which '{service}' supports: its statements have been issued and cannot change.",
                ProblemTypes.ClosedPeriod);
        }
    }

    /// <summary>
    /// An agreement effective from a month governs every month up to the next agreed agreement's; agreeing it must not
    /// rewrite a closed month among those. A support agreement also moves the figures of the services it supports
    /// (<paramref name="supported"/>, not yet agreed), and their cost flows on through the support services they in turn
    /// support (chains and cycles), so the closed months of every service reachable downstream count too.
    /// </summary>
    public async Task EnsureAgreementMonthsOpenAsync(string service, DateOnly effectiveFrom, CancellationToken ct, IReadOnlyCollection<string>? supported = null)
    {
        var next = await db.SplitAgreements
            .Where(a => a.ServiceCode == service && a.Status == AgreementStatus.Agreed && a.EffectiveFrom > effectiveFrom)
            .MinAsync(a => (DateOnly?)a.EffectiveFrom, ct);
        var affected = await DownstreamAsync([service, .. supported ?? []], effectiveFrom, next, ct);
        foreach (var each in affected)
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"select pg_advisory_xact_lock_shared(hashtext({each}))", ct);
        }

        var closed = await db.ClosedMonths
            .Where(c => affected.Contains(c.ServiceCode) && c.Month >= effectiveFrom && (next == null || c.Month < next))
            .OrderBy(c => c.Month).ThenBy(c => c.ServiceCode).Select(c => new { c.Month, c.ServiceCode }).FirstOrDefaultAsync(ct);
        if (closed is { Month: var month, ServiceCode: var code })
        {
            var why = code == service ? "" : $", whose figures take overheads from '{service}',";
            throw new ConflictException(
                $"{month.ToMonthText()} is closed for '{code}'{why} and an agreement from {effectiveFrom.ToMonthText()} would change its issued figures; make the agreement effective from a later month.",
                ProblemTypes.ClosedPeriod);
        }
    }

    /// <summary>
    /// The services whose figures can move with <paramref name="seeds"/>' in [from, until): the seeds and every service
    /// reachable from them over agreed support agreements in force at some month of that range, in ordinal order (the
    /// order locks are taken in). The seeds' own agreements count, so a service an agreement stops supporting is included.
    /// An over-approximation: an edge in force in any month of the range counts for all of them, so a chain that exists
    /// only in May can protect a closed June. It never misses a service whose issued figures would change.
    /// </summary>
    private async Task<List<string>> DownstreamAsync(string[] seeds, DateOnly from, DateOnly? until, CancellationToken ct)
    {
        var reached = await db.Database.SqlQuery<string>($"""
            with recursive reach(code) as (
                select unnest({seeds}::text[])
                union
                select s.code
                from reach r
                join split_agreements a on a.service_code = r.code and a.status = 'agreed' and cardinality(a.supports) > 0
                cross join lateral unnest(a.supports) as s(code)
                where ({until}::date is null or a.effective_from < {until}::date)
                  and not exists (select 1 from split_agreements b
                                  where b.service_code = a.service_code and b.status = 'agreed'
                                    and b.effective_from > a.effective_from and b.effective_from <= {from}))
            select code as "Value" from reach
            """).ToListAsync(ct);
        return [.. reached.Order(StringComparer.Ordinal)];
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
