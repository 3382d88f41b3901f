namespace Apportionment.Api.Features.Services;

/// <summary>What a service's ledger already records, which its membership and run must go on covering.</summary>
public static class ServiceHistory
{
    /// <summary>
    /// Why each of these members must stay: postings it paid, activity figures reported for it, or months closed while
    /// it was a member (its statements for them have been issued). Councils with nothing are left out.
    /// </summary>
    public static async Task<List<string>> HoldsOnAsync(
        this ApportionmentDb db,
        SharedService service,
        IReadOnlyList<ServiceMember> members,
        CancellationToken ct)
    {
        var councils = members.Select(m => m.Council).ToList();
        var postings = await db.CostTotals.AsNoTracking()
            .Where(t => t.ServiceCode == service.Code && councils.Contains(t.PaidBy))
            .GroupBy(t => t.PaidBy).Select(g => new { Council = g.Key, Count = g.Sum(t => t.Postings) })
            .ToDictionaryAsync(x => x.Council, x => x.Count, ct);
        var reported = await db.Database.SqlQuery<string>($"""
            select distinct k.key as "Value" from activity_returns a, jsonb_object_keys(a.quantities) as k(key)
            where a.service_code = {service.Code}
            """).ToListAsync(ct);
        var closes = await db.ClosedMonths.AsNoTracking().Where(c => c.ServiceCode == service.Code)
            .Select(c => new { c.Month, c.ClosedAt }).ToListAsync(ct);

        var holds = new List<string>();
        foreach (var member in members.OrderBy(m => m.Council, StringComparer.Ordinal))
        {
            var what = new List<string>();
            if (postings.GetValueOrDefault(member.Council) is > 0 and var count)
            {
                what.Add($"{count} posting(s)");
            }

            if (reported.Contains(member.Council))
            {
                what.Add("activity figures");
            }

            var issued = closes.Where(c => c.ClosedAt >= member.JoinedAt).Select(c => c.Month).ToList();
            if (issued.Count > 0)
            {
                what.Add($"{issued.Count} closed month(s) issued to it ({issued.Min().ToMonthText()} to "
                    + $"{issued.Max().ToMonthText()})");
            }

            if (what.Count > 0)
            {
                holds.Add($"{member.Council} has {string.Join(", ", what)}");
            }
        }

        return holds;
    }

    /// <summary>
    /// The latest month holding postings, activity figures or a close: the service cannot end before it.
    /// </summary>
    public static async Task<DateOnly?> LastRecordedMonthAsync(
        this ApportionmentDb db,
        string service,
        CancellationToken ct)
    {
        var posted = await db.CostTotals.Where(t => t.ServiceCode == service).MaxAsync(t => (DateOnly?)t.Month, ct);
        var reported = await db.ActivityReturns.Where(a => a.ServiceCode == service)
            .MaxAsync(a => (DateOnly?)a.Month, ct);
        var closed = await db.ClosedMonths.Where(c => c.ServiceCode == service).MaxAsync(c => (DateOnly?)c.Month, ct);
        return new[] { posted, reported, closed }.Max();
    }
}
