namespace Apportionment.Api.Features.Ledger;

/// <summary>
/// One service's figures for a period: its apportionment, the path of its overheads and what each council paid
/// directly.
/// </summary>
public sealed record ServiceLedger(
    string Service, string Name, string HostCouncil, DateOnly StartMonth, DateOnly? EndMonth,
    ServiceOverheads Overheads, IReadOnlyDictionary<string, decimal> Paid)
{
    public ServiceApportionment Apportionment => Overheads.Apportionment;

    public decimal PaidBy(string council) => Paid.GetValueOrDefault(council);

    /// <summary>
    /// The council's statement balance: share − paid directly; above zero it owes the host, below zero it is owed.
    /// </summary>
    public decimal BalanceOf(string council) => Apportionment.ShareOf(council) - PaidBy(council);

    /// <summary>
    /// What each council paid directly in each month of the period; the months add up to <see cref="Paid"/>.
    /// </summary>
    public IReadOnlyDictionary<(string Council, DateOnly Month), decimal> PaidMonthly { get; init; }
        = new Dictionary<(string, DateOnly), decimal>();

    /// <summary>
    /// The council's balance month by month (share of the month − paid in it); the months add up to
    /// <see cref="BalanceOf(string)"/>.
    /// </summary>
    public decimal BalanceOf(string council, Month month) =>
        Apportionment.Months.Where(m => m.Month == month).SelectMany(m => m.Allocations)
            .Where(a => a.Council == council)
            .Sum(a => a.Amount)
        - PaidMonthly.GetValueOrDefault((council, month.FirstDay));

    /// <summary>
    /// The months of the period with a cost posted to the service itself (a support service may pass all of it on).
    /// </summary>
    public IReadOnlySet<Month> PostedTo { get; init; } = new HashSet<Month>();
}

/// <summary>
/// The services asked for, and every overhead flow of the period that touches the support services feeding them.
/// </summary>
public sealed record Ledgers(IReadOnlyList<ServiceLedger> Services, IReadOnlyList<SupportMonthAllocation> Flows);

/// <summary>The services that could be apportioned, and each month that stopped one of the others.</summary>
public sealed record LedgerRead(IReadOnlyList<ServiceLedger> Ledgers, IReadOnlyList<UnapportionedDto> Unapportioned)
{
    /// <summary>The closed months of the period of every service read, when asked for.</summary>
    public IReadOnlyList<MonthClose> Closes { get; init; } = [];

    /// <summary>
    /// With the closed months (a statement): by service, what the council was invoiced, paid and owes.
    /// </summary>
    public IReadOnlyDictionary<string, InvoicedFigures> Invoiced { get; init; } =
        new Dictionary<string, InvoicedFigures>();

    /// <summary>With the closed months (a statement): what the read covered, at which ledger versions.</summary>
    public LedgerStamp Stamp { get; init; } = new([], [], []);
}

/// <summary>
/// One service's months as the domain takes them (cost, agreement in force, activity) before they are apportioned.
/// </summary>
public sealed record ServiceMonths(
    string Service, string Name, string HostCouncil, DateOnly StartMonth, DateOnly? EndMonth,
    IReadOnlyList<ServiceMonthInput> Months, IReadOnlyDictionary<string, decimal> Paid);

/// <summary>
/// Loads what the domain needs to apportion services over a period — monthly totals per payer (never the postings),
/// the agreed agreements and the latest activity returns — in one round trip however many services
/// (<see cref="LedgerBatch"/>), then lets the domain do the arithmetic. Support services that feed the services asked
/// for (directly or through other support services) are loaded too, since their costs become part of those services'
/// totals.
/// </summary>
public sealed class LedgerReader([ReadDb] ApportionmentDb db)
{
    /// <summary>
    /// The services' apportionments, or 422 naming the first month that cannot be. With <paramref name="proposal"/>, as
    /// if that proposed agreement had been agreed now: it governs from its effectiveFrom until a later-effective agreed
    /// agreement, so a council can see what it would pay.
    /// </summary>
    public async Task<IReadOnlyList<ServiceLedger>> ReadAsync(
        IReadOnlyCollection<string> services,
        Period period,
        CancellationToken ct,
        SplitAgreement? proposal = null) =>
        (await ReadWithFlowsAsync(services, period, ct, proposal)).Services;

    public async Task<Ledgers> ReadWithFlowsAsync(
        IReadOnlyCollection<string> wanted,
        Period period,
        CancellationToken ct,
        SplitAgreement? proposal = null)
    {
        var loaded = await LoadAsync(new LedgerScope(wanted), period, proposal, ct);
        var result = OrCannotApportion(() => OverheadApportioner.Apportion(period, loaded.Inputs, ct));
        return new Ledgers(loaded.Ledgers(wanted, result), result.Months);
    }

    /// <summary>
    /// For a council's reads across its services (404 if there is no such council; its services are found in the same
    /// round trip): one service that cannot be apportioned (or whose support services cannot be) leaves it out and
    /// lists each month that stops it, rather than blocking the others. With <paramref name="withCloses"/>, the
    /// services' closed months of the period come too.
    /// </summary>
    public async Task<LedgerRead> ReadCouncilAsync(
        string council,
        Period period,
        CancellationToken ct,
        bool withCloses = false)
    {
        var loaded = await LoadAsync(LedgerScope.OfCouncil(council, withCloses), period, proposal: null, ct);
        return Apportionable(loaded, loaded.Rows.Wanted, period, ct) with
        {
            Closes = loaded.Rows.Closes,
            Invoiced = loaded.Rows.Invoiced,
            Stamp = new LedgerStamp(
                [.. loaded.Rows.Wanted], [.. loaded.Rows.Names.Select(n => n.Code)], loaded.Rows.Versions),
        };
    }

    /// <summary>The council's services and the current ledger versions of <paramref name="services"/>.</summary>
    public Task<LedgerStamp> StampAsync(string council, IReadOnlyCollection<string> services, CancellationToken ct) =>
        LedgerBatch.StampAsync(db, council, services, ct);

    private static LedgerRead Apportionable(Loaded loaded, HashSet<string> wanted, Period period, CancellationToken ct)
    {
        if (TryApportion(period, loaded.Inputs, ct, out var all, out _))
        {
            return new LedgerRead(loaded.Ledgers(wanted, all!), []);
        }

        // Each wanted service on its own, with the support services that feed it (directly or through others), so a
        // line is never shown without its overheads and a failure reaches only the services whose figures depend on it.
        var ledgers = new List<ServiceLedger>();
        var gaps = new Dictionary<(string, Month), (UnapportionedDto Gap, SortedSet<string> LeftOut)>();
        foreach (var service in wanted.Where(loaded.Inputs.ContainsKey).Order(StringComparer.Ordinal))
        {
            var feeding = Upstream(loaded.Inputs, service);
            var inputs = loaded.Inputs.Where(i => feeding.Contains(i.Key))
                .ToDictionary(i => i.Key, i => i.Value, StringComparer.Ordinal);
            if (TryApportion(period, inputs, ct, out var one, out _))
            {
                ledgers.AddRange(loaded.Ledgers([service], one!));
                continue;
            }

            foreach (var month in period.Months)
            {
                var single = inputs.ToDictionary(
                    i => i.Key,
                    i => (IReadOnlyList<ServiceMonthInput>)[.. i.Value.Where(m => m.Month == month)],
                    StringComparer.Ordinal);
                if (!TryApportion(Period.ForMonth(month), single, ct, out _, out var e))
                {
                    if (!gaps.TryGetValue((e!.Service, e.Month), out var gap))
                    {
                        gaps[(e.Service, e.Month)] = gap = (new UnapportionedDto(
                            e.Service,
                            e.Month.ToString(),
                            e.CouncilsWithoutFigures), new SortedSet<string>(StringComparer.Ordinal));
                    }

                    gap.LeftOut.Add(service);
                }
            }
        }

        return new LedgerRead(ledgers, [.. gaps.Values.Select(g => g.Gap with { LeftOut = [.. g.LeftOut] })]);
    }

    /// <summary>The service and every support service whose cost can reach it in some month of the inputs.</summary>
    private static HashSet<string> Upstream(
        IReadOnlyDictionary<string, IReadOnlyList<ServiceMonthInput>> inputs,
        string service)
    {
        var reached = new HashSet<string>(StringComparer.Ordinal) { service };
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var (code, months) in inputs)
            {
                if (!reached.Contains(code) && months.Any(
                    m => m.Support?.Rule.Recipients.Any(r => r.IsService && reached.Contains(r.Code)) == true))
                {
                    grew = reached.Add(code);
                }
            }
        }

        return reached;
    }

    /// <summary>
    /// The wanted services' months as the domain takes them, before overheads (budgets read direct costs).
    /// </summary>
    public async Task<IReadOnlyList<ServiceMonths>> ReadMonthsAsync(
        IReadOnlyCollection<string> wanted,
        Period period,
        CancellationToken ct,
        SplitAgreement? proposal = null)
    {
        var loaded = await LoadAsync(new LedgerScope(wanted), period, proposal, ct);
        return loaded.Rows.Names.Where(n => wanted.Contains(n.Code)).OrderBy(n => n.Code, StringComparer.Ordinal)
            .Select(n => new ServiceMonths(
                n.Code,
                n.Name,
                n.HostCouncil,
                n.StartMonth,
                n.EndMonth,
                loaded.Inputs[n.Code],
                loaded.PaidBy(n.Code)))
            .ToList();
    }

    /// <summary>
    /// Apportions, answering 422 cannot-apportion (naming the service, month and who lacks figures) when the domain
    /// cannot.
    /// </summary>
    public static T OrCannotApportion<T>(Func<T> apportion)
    {
        try
        {
            return apportion();
        }
        catch (ApportionmentException e)
        {
            var problem = new UnprocessableException(
                ProblemTypes.CannotApportion,
                "The costs cannot be apportioned.",
                e.Message);
            problem.Extensions["service"] = e.Service;
            problem.Extensions["month"] = e.Month.ToString();
            problem.Extensions["reason"] = e.Reason;
            problem.Extensions["councilsWithoutFigures"] = e.CouncilsWithoutFigures;
            problem.Extensions["recipientsWithoutFigures"] = e.CouncilsWithoutFigures;
            throw problem;
        }
    }

    public static ServiceApportionment Apportion(string service, Period period, IReadOnlyList<ServiceMonthInput> months)
        =>
        OrCannotApportion(() => Apportioner.Apportion(service, period, months));

    private static bool TryApportion(
        Period period,
        IReadOnlyDictionary<string, IReadOnlyList<ServiceMonthInput>> inputs,
        CancellationToken ct,
        out OverheadApportionment? result,
        out ApportionmentException? failure)
    {
        try
        {
            (result, failure) = (OverheadApportioner.Apportion(period, inputs, ct), null);
            return true;
        }
        catch (ApportionmentException e)
        {
            (result, failure) = (null, e);
            return false;
        }
    }

    private sealed record Loaded(LedgerRows Rows, Dictionary<string, IReadOnlyList<ServiceMonthInput>> Inputs)
    {
        public Dictionary<string, decimal> PaidBy(string service) =>
            Rows.Paid.TryGetValue(service, out var paid)
                ? paid
                : new Dictionary<string, decimal>(StringComparer.Ordinal);

        public List<ServiceLedger> Ledgers(IReadOnlyCollection<string> wanted, OverheadApportionment result) =>
            Rows.Names.Where(n => wanted.Contains(n.Code)).OrderBy(n => n.Code, StringComparer.Ordinal)
                .Select(n => new ServiceLedger(
                    n.Code,
                    n.Name,
                    n.HostCouncil,
                    n.StartMonth,
                    n.EndMonth,
                    result.Services[n.Code],
                    PaidBy(n.Code))
                {
                    PaidMonthly = Rows.PaidMonthly.TryGetValue(n.Code, out var monthly) ? monthly : [],
                    PostedTo = Inputs[n.Code].Where(m => m.NetCost != 0m).Select(m => m.Month).ToHashSet(),
                })
                .ToList();
    }

    private async Task<Loaded> LoadAsync(
        LedgerScope scope,
        Period period,
        SplitAgreement? proposal,
        CancellationToken ct)
    {
        var rows = await LedgerBatch.ReadAsync(db, scope, period, proposal?.Driver, ct);
        if (!rows.CouncilExists)
        {
            throw new NotFoundException("Council", scope.Council!);
        }

        var agreements = rows.Agreements;
        if (proposal is not null && proposal.EffectiveFrom <= period.Last.FirstDay)
        {
            agreements.Add(proposal);
        }

        // One validated rule per agreement, however many months it governs.
        var splits = agreements.Where(a => !a.IsSupport)
            .ToDictionary(a => a.Id, a => new AgreementInForce(a.Id, ToRule(a)));
        var supports = agreements.Where(a => a.IsSupport)
            .ToDictionary(a => a.Id, a => new SupportAgreementInForce(a.Id, ToSupportRule(a)));
        var byService = agreements.ToLookup(a => a.ServiceCode, StringComparer.Ordinal);
        var inputs = new Dictionary<string, IReadOnlyList<ServiceMonthInput>>(StringComparer.Ordinal);
        foreach (var service in rows.Names)
        {
            // A proposal counts as agreed after every agreement already agreed from the same month.
            var history = byService[service.Code].OrderBy(a => a.EffectiveFrom).ThenBy(a => a == proposal)
                .ThenBy(a => a.AgreedAt)
                .ToList();
            inputs[service.Code] = period.Months.Select(month =>
            {
                var day = month.FirstDay;
                var agreement = history.LastOrDefault(a => a.EffectiveFrom <= day);
                var figures = agreement?.Driver is { } driver
                    ? rows.Activity.GetValueOrDefault((service.Code, driver, day))
                    : null;
                var cost = rows.Costs.GetValueOrDefault((service.Code, day));
                return agreement is { IsSupport: true }
                    ? new ServiceMonthInput(month, cost, null, figures, supports[agreement.Id])
                    : new ServiceMonthInput(month, cost, agreement is null ? null : splits[agreement.Id], figures);
            }).ToList();
        }

        return new Loaded(rows, inputs);
    }

    private static SplitRule ToRule(SplitAgreement a) => a.Method switch
    {
        "fixed" => SplitRule.Fixed(a.Shares.Select(s => new CouncilShare(s.Council, s.Percent))),
        "equal" => SplitRule.Equal(a.Councils),
        _ => SplitRule.ByDriver(a.Driver!, a.Councils),
    };

    private static SupportRule ToSupportRule(SplitAgreement a)
    {
        var method = Enum.Parse<SplitMethod>(a.Method, ignoreCase: true);
        return SupportRule.Create(a.ServiceCode, method,
            method == SplitMethod.Fixed ? a.Shares.Select(s => new CouncilShare(s.Council, s.Percent)).ToList() : null,
            method == SplitMethod.Fixed ? null : a.Councils,
            a.Supports.Select(s => new SupportedShare(s, a.SupportPercents?.GetValueOrDefault(s))).ToList(),
            a.Driver);
    }
}
