namespace Apportionment.Api.Features.Ledger;

/// <summary>
/// Which months of a report's figures are still open: a service's figures are final when every month of the period
/// it runs in is closed; a council's when that holds for every service it belongs to. Without a period (a whole
/// ledger), the months from the service's start to this month count.
/// </summary>
public sealed class FigureStatusReader([ReadDb] ApportionmentDb db, TimeProvider clock) : IFigureStatus
{
    public async Task<FigureStatus> ReadAsync(FigureScope scope, CancellationToken ct)
    {
        List<string> codes = scope.Service is { } service ? [service]
            : scope.Council is { } council ? await db.ServicesOfCouncilAsync(council, ct)
            : [];
        var services = await db.SharedServices.AsNoTracking()
            .Where(s => codes.Contains(s.Code))
            .Select(s => new { s.Code, s.StartMonth, s.EndMonth })
            .ToListAsync(ct);
        var today = Month.FromDate(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        IReadOnlyList<Month> months = Period.TryParse(scope.Period, out var period, out _) && period is not null
            ? period.Months
            : services.Count == 0 ? []
            : Since(Month.FromDate(services.Min(s => s.StartMonth)), today);
        if (months.Count == 0)
        {
            return new FigureStatus(scope.Period, []);
        }

        var (first, last) = (months[0].FirstDay, months[^1].FirstDay);
        var closed = (await db.ClosedMonths.AsNoTracking()
                .Where(c => codes.Contains(c.ServiceCode) && c.Month >= first && c.Month <= last)
                .Select(c => new { c.ServiceCode, c.Month })
                .ToListAsync(ct))
            .Select(c => (c.ServiceCode, c.Month))
            .ToHashSet();
        var open = months
            .Where(m => services.Any(s => s.StartMonth <= m.FirstDay
                && (s.EndMonth is not { } end || m.FirstDay <= end)
                && !closed.Contains((s.Code, m.FirstDay))))
            .ToList();
        return new FigureStatus(scope.Period, open);
    }

    private static List<Month> Since(Month start, Month today)
    {
        var months = new List<Month>();
        for (var m = start; m.FirstDay <= today.FirstDay; m = m.AddMonths(1))
        {
            months.Add(m);
        }

        return months;
    }
}
