namespace Apportionment.Api.Features.Ledger;

/// <summary>A closed month's figures have been sent to councils: nothing may change them afterwards.</summary>
public sealed class ClosedMonths(ApportionmentDb db)
{
    /// <summary>
    /// 409 closed-period if the month is closed for the service or for a service downstream of it (a support service's
    /// cost lands in the services it supports). The rule is the database's own <c>ensure_month_open</c>, the same one
    /// its trigger applies to every posting, so a month cannot close between the check and the write.
    /// </summary>
    public async Task EnsureOpenAsync(string service, DateOnly month, CancellationToken ct) =>
        await db.Database.SqlQuery<int>($"select 1 as \"Value\" from ensure_month_open({service}, {month})")
            .SingleAsync(ct);

    /// <summary>
    /// An agreement effective from a month governs every month up to the next agreed agreement's; agreeing it must not
    /// rewrite a closed month among those. A support agreement also moves the figures of the services it supports
    /// (<paramref name="supported"/>, not yet agreed), and their cost flows on through the support services they in
    /// turn support (chains and cycles), so the closed months of every service reachable downstream count too.
    /// </summary>
    public async Task EnsureAgreementMonthsOpenAsync(
        string service,
        DateOnly effectiveFrom,
        CancellationToken ct,
        IReadOnlyCollection<string>? supported = null)
    {
        var next = await db.SplitAgreements
            .Where(
                a => a.ServiceCode == service && a.Status == AgreementStatus.Agreed && a.EffectiveFrom > effectiveFrom)
            .MinAsync(a => (DateOnly?)a.EffectiveFrom, ct);
        var affected = await DownstreamAsync([service, .. supported ?? []], effectiveFrom, next, ct);
        await db.LockSharedAsync(affected, ct);

        var closed = await db.ClosedMonths
            .Where(
                c => affected.Contains(c.ServiceCode) && c.Month >= effectiveFrom && (next == null || c.Month < next))
            .OrderBy(c => c.Month).ThenBy(c => c
                .ServiceCode).Select(c => new { c.Month, c.ServiceCode }).FirstOrDefaultAsync(ct);
        if (closed is { Month: var month, ServiceCode: var code })
        {
            var why = code == service ? "" : $", whose figures take overheads from '{service}',";
            throw new ConflictException(
                $"{month.ToMonthText()} is closed for '{code}'{why} and an agreement from "
                    + $"{effectiveFrom.ToMonthText()} would change its issued figures; make the agreement effective "
                    + "from a later month.",
                ProblemTypes.ClosedPeriod);
        }
    }

    /// <summary>
    /// The services whose figures can move with <paramref name="seeds"/>' in [from, until), in ordinal order (the order
    /// locks are taken in): the database's <c>support_downstream</c>, the same walk its closed-month trigger makes for
    /// one month. Over a range, a link in force in any of its months counts for all of them, which can only
    /// over-protect.
    /// </summary>
    public async Task<List<string>> DownstreamAsync(
        string[] seeds,
        DateOnly from,
        DateOnly? until,
        CancellationToken ct)
    {
        var reached = await db.Database.SqlQuery<string>(
            $"""
            select unnest(support_downstream({seeds}::text[], {from}::date, {until}::date)) as "Value"
            """).ToListAsync(ct);
        return [.. reached.Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The first month on or after <paramref name="from"/> that is still open and within the service's run: where a
    /// late correction lands. 409 if there is none (every later month of an ended service is closed).
    /// </summary>
    public async Task<DateOnly> EarliestOpenFromAsync(SharedService service, DateOnly from, CancellationToken ct)
    {
        var first = from < service.StartMonth ? service.StartMonth : from;
        // Month by month, so only the months passed over and the one chosen are locked.
        for (var month = first; service.Contains(month); month = month.AddMonths(1))
        {
            var blocking = await db.Database.SqlQuery<string?>(
                $"select closed_month_blocking({service.Code}, {month}) as \"Value\"").SingleAsync(ct);
            if (blocking is null)
            {
                return month;
            }
        }

        throw new ConflictException(
            $"Every month of '{service.Code}' from {from.ToMonthText()} to its end month "
                + $"{service.EndMonth?.ToMonthText()} is closed (for it or a service it supports): a correction has no "
                + "open month of the service to land in.",
            ProblemTypes.ClosedPeriod);
    }
}
