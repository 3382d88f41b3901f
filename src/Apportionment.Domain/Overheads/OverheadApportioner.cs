namespace Apportionment.Domain;

/// <summary>
/// Apportions a set of services over a period with overheads: month by month, support services are recharged to the
/// services they support (<see cref="OverheadAllocation"/>), then each supported service's total (direct + received)
/// is split between its councils by its own agreement, exactly as <see cref="Apportioner"/> does without overheads.
/// </summary>
public static class OverheadApportioner
{
    /// <summary>
    /// <paramref name="services"/> holds every service whose figures are needed, including every support service that
    /// feeds them (directly or not), each with its months of the period.
    /// </summary>
    public static OverheadApportionment Apportion(
        Period period, IReadOnlyDictionary<string, IReadOnlyList<ServiceMonthInput>> services,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(services);
        var months = new List<SupportMonthAllocation>();
        var received = new Dictionary<(string Service, Month Month), decimal>();
        foreach (var month in period.Months)
        {
            var support = services
                .Select(s => (s.Key, Input: s.Value.FirstOrDefault(m => m.Month == month)))
                .Where(s => s.Input?.Support is not null)
                .Select(s => new SupportServiceMonth(s.Key, s.Input!.NetCost, s.Input.Support!.Rule, s.Input.Activity))
                .ToList();
            if (support.Count == 0)
            {
                continue;
            }

            var allocation = OverheadAllocation.AllocateMonth(month, support, cancellationToken);
            months.Add(allocation);
            foreach (var flow in allocation.Flows.Where(f => f.To.IsService))
            {
                received[(flow.To.Code, month)] = received.GetValueOrDefault((flow.To.Code, month)) + flow.Amount;
            }
        }

        var results = new SortedDictionary<string, ServiceOverheads>(StringComparer.Ordinal);
        foreach (var (service, inputs) in services)
        {
            results[service] = ForService(service, period, inputs, months, received);
        }

        return new OverheadApportionment(months.AsReadOnly(), results);
    }

    private static ServiceOverheads ForService(
        string service, Period period, IReadOnlyList<ServiceMonthInput> inputs, List<SupportMonthAllocation> flows,
        Dictionary<(string, Month), decimal> received)
    {
        var plain = inputs.Where(m => m.Support is null).ToList();
        var withOverheads = plain.Select(
            m => m with { NetCost = m.NetCost + received.GetValueOrDefault((service, m.Month)) }).ToList();
        var apportioned = Apportioner.Apportion(service, period, withOverheads);

        // Without overheads received, a council's direct share is its share; otherwise it is the direct cost split
        // alone.
        var councilDirect = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        var direct = plain.Any(m => received.ContainsKey((service, m.Month)))
            ? Apportioner.Apportion(service, period, plain)
            : apportioned;
        foreach (var a in direct.Allocations)
        {
            councilDirect[a.Council] = a.Amount;
        }

        var monthResults = apportioned.Months.ToList();
        foreach (var input in inputs.Where(m => m.Support is not null))
        {
            var allocation = flows.First(f => f.Month == input.Month);
            var own = allocation.Flows.Where(f => f.From == service && !f.To.IsService)
                .OrderBy(f => f.To.Code, StringComparer.Ordinal)
                .ToList();
            var kept = own.Sum(f => f.Amount);
            monthResults.Add(new MonthApportionment(
                input.Month,
                Money.Normalise(kept),
                input.Support!.AgreementId,
                input.Support.Rule.Method,
                own.Select(f => new CouncilAmount(f.To.Code, f.Amount)).ToArray()));
            AddDirectKept(councilDirect, own, input.NetCost, allocation.GrossCost[service], kept);
        }

        monthResults.Sort((a, b) => a.Month.CompareTo(b.Month));
        var totals = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var allocation in monthResults.SelectMany(m => m.Allocations))
        {
            totals[allocation.Council] = totals.GetValueOrDefault(allocation.Council) + allocation.Amount;
        }

        var apportionment = new ServiceApportionment(
            service,
            period,
            Money.Normalise(monthResults.Sum(m => m.NetCost)),
            monthResults.AsReadOnly(),
            totals.Select(t => new CouncilAmount(t.Key, Money.Normalise(t.Value))).ToArray());
        var all = flows.SelectMany(m => m.Flows).ToList();
        return new ServiceOverheads(apportionment, Money.Normalise(inputs.Sum(m => m.NetCost)),
            Sum(all.Where(f => f.To.IsService && f.To.Code == service), f => f.From),
            Sum(all.Where(f => f.From == service && f.To.IsService), f => f.To.Code),
            councilDirect);
    }

    /// <summary>
    /// The part of what a support service charges councils directly that is its own direct cost rather than overheads
    /// it received: kept × direct ÷ gross, to the nearest penny, split between those councils by largest remainder.
    /// </summary>
    private static void AddDirectKept(
        SortedDictionary<string, decimal> councilDirect,
        List<OverheadFlow> own,
        decimal directCost,
        decimal gross,
        decimal kept)
    {
        if (own.Count == 0 || gross == 0m)
        {
            return;
        }

        var directKept = (Fraction.Of(kept) * Fraction.Of(directCost) / Fraction.Of(gross)).ToPennies();
        var weights = own.Select(f => Math.Abs(f.Amount)).ToArray();
        if (directKept == 0m || weights.All(w => w == 0m))
        {
            return;
        }

        var parts = new decimal[own.Count];
        LargestRemainder.Allocate(directKept, weights, own.Select(f => f.To.Code).ToArray(), parts);
        for (var k = 0; k < own.Count; k++)
        {
            councilDirect[own[k].To.Code] = councilDirect.GetValueOrDefault(own[k].To.Code) + parts[k];
        }
    }

    private static SortedDictionary<string, decimal> Sum(
        IEnumerable<OverheadFlow> flows,
        Func<OverheadFlow, string> key)
    {
        var sums = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var f in flows)
        {
            sums[key(f)] = Money.Normalise(sums.GetValueOrDefault(key(f)) + f.Amount);
        }

        return sums;
    }
}
