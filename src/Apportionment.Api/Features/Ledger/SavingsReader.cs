namespace Apportionment.Api.Features.Ledger;

/// <summary>A council's saving on one of its services.</summary>
public sealed record ServiceSaving(string Service, string ServiceName, CouncilSaving Saving)
{
    /// <summary>
    /// The months baseline and share cover: those that have ended and hold costs (<see cref="PartYear"/>).
    /// </summary>
    public IReadOnlyList<Month> MonthsCounted { get; init; } = [];
}

/// <summary>
/// A council's savings across its services for a period; a service with a month that cannot be apportioned yet is
/// left out and listed in <see cref="Unapportioned"/>, as on the recharge statement.
/// </summary>
public sealed record CouncilSavings(
    string Council,
    Period Period,
    IReadOnlyList<ServiceSaving> Services,
    IReadOnlyList<UnapportionedDto> Unapportioned);

/// <summary>Savings against the councils' stand-alone baselines, worked out by the domain from the ledger.</summary>
public sealed class SavingsReader([ReadDb] ApportionmentDb db, LedgerReader ledger, TimeProvider clock)
{
    /// <summary>
    /// Each member council's saving on the service for the period (422 if the period cannot be apportioned).
    /// </summary>
    public async Task<SavingsReport> ForServiceAsync(string service, Period period, CancellationToken ct)
    {
        var l = (await ledger.ReadAsync([service], period, ct))[0];
        return Domain.Savings.For(l.Apportionment, await BaselinesOfServiceAsync(service, ct), Current, l.PostedTo);
    }

    /// <summary>404 if there is no such council. The caller checks the caller may act for it.</summary>
    public async Task<CouncilSavings> ForCouncilAsync(string council, Period period, CancellationToken ct)
    {
        var (ledgers, unapportioned) = await ledger.ReadCouncilAsync(council, period, ct);
        var baselines = await db.Baselines.AsNoTracking().Where(b => b.Council == council)
            .ToDictionaryAsync(b => b.ServiceCode, b => b.AnnualCost, StringComparer.Ordinal, ct);
        var services = ledgers.Select(l =>
        {
            var counted = PartYear.MonthsCounted(l.Apportionment, Current, l.PostedTo);
            decimal? baseline = baselines.TryGetValue(l.Service, out var annual)
                ? Baseline.ForMonths(annual, counted)
                : null;
            var share = PartYear.SharesOf(l.Apportionment, counted).GetValueOrDefault(council);
            return new ServiceSaving(l.Service, l.Name, CouncilSaving.Of(council, baseline, share))
            {
                MonthsCounted = counted
            };
        }).ToList();
        return new CouncilSavings(council, period, services, unapportioned);
    }

    /// <summary>
    /// Savings from the service's first month through the end of the financial year starting in
    /// <paramref name="lastYear"/>.
    /// </summary>
    public async Task<CumulativeSavings> SinceStartAsync(SharedService service, int lastYear, CancellationToken ct)
    {
        var start = Month.FromDate(service.StartMonth);
        var years = new List<ServiceApportionment>();
        var postedTo = new HashSet<Month>();
        for (var year = start.FinancialYearStart; year <= lastYear; year++)
        {
            var read = (await ledger.ReadAsync([service.Code], Period.FinancialYear(year), ct))[0];
            years.Add(read.Apportionment);
            postedTo.UnionWith(read.PostedTo);
        }

        return CumulativeSavings.Since(
            start,
            service.EndMonth is { } end ? Month.FromDate(end) : null,
            years,
            await BaselinesOfServiceAsync(service.Code, ct),
            Current,
            postedTo);
    }

    /// <summary>The current month: only months before it have ended and count towards a saving.</summary>
    private Month Current => Month.FromDate(clock.CurrentMonth());

    private Task<Dictionary<string, decimal>> BaselinesOfServiceAsync(string service, CancellationToken ct) =>
        db.Baselines.AsNoTracking().Where(b => b.ServiceCode == service)
            .ToDictionaryAsync(b => b.Council, b => b.AnnualCost, StringComparer.Ordinal, ct);
}
