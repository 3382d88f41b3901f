namespace Apportionment.Domain;

/// <summary>
/// One month's ledger figures and the activity figures (units) of the driver being costed, null if none were returned.
/// </summary>
public sealed record UnitCostInput(ServiceMonthInput Ledger, IReadOnlyDictionary<string, decimal>? Units);

/// <summary>
/// A cost per unit of activity, or null with the reason it cannot be given (never a misleading zero).
/// </summary>
public sealed record UnitCost(decimal? NetCost, decimal? Units, decimal? CostPerUnit, string? Reason);

public sealed record CouncilUnitCost(string Council, UnitCost Cost);

public sealed record UnitCostMonth(Month Month, UnitCost Service, IReadOnlyList<CouncilUnitCost> Councils);

public sealed record UnitCostReport(
    Period Period,
    string Driver,
    IReadOnlyList<UnitCostMonth> Months,
    UnitCost Service,
    IReadOnlyList<CouncilUnitCost> Councils);

/// <summary>
/// Net cost per unit of activity (per surveyor hour, per case) for a service and for each council's share, month by
/// month and for the period, so value for money can be followed over time. Cost per unit is rounded to the penny for
/// display. A month without activity figures has no unit cost (null, with the reason); the period's figure is worked
/// over the months that have figures only, and says which months it leaves out.
/// </summary>
public static class UnitCosts
{
    public static UnitCostReport For(string service, Period period, string driver, IReadOnlyList<UnitCostInput> months)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(months);
        var rows = months.OrderBy(m => m.Ledger.Month).Select(m => (Input: m, Shares: SharesOf(service, m.Ledger)))
            .ToList();
        var councils = rows.SelectMany(r => r.Shares?.Keys ?? Enumerable.Empty<string>())
            .Union(rows.SelectMany(r => r.Input.Units?.Keys ?? Enumerable.Empty<string>()), StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

        var result = rows.Select(r =>
        {
            var units = r.Input.Units;
            var month = r.Input.Ledger.Month;
            var serviceCost = units is null
                ? new UnitCost(r.Input.Ledger.NetCost, null, null, $"No {driver} figures were returned for {month}.")
                : Of(r.Input.Ledger.NetCost, units.Values.Sum(), driver, month.ToString());
            var perCouncil = councils.Select(
                c => new CouncilUnitCost(c, CouncilMonth(c, r.Shares, units, driver, month))).ToList();
            return new UnitCostMonth(month, serviceCost, perCouncil);
        }).ToList();

        var costed = result.Where(m => m.Service.Units is not null).ToList();
        var missing = result.Where(m => m.Service.Units is null).Select(m => m.Month.ToString()).ToList();
        var note = missing.Count == 0
            ? null
            : $"Months without {driver} figures are left out: {string.Join(", ", missing)}.";
        var total = costed.Count == 0
            ? new UnitCost(null, null, null, $"No {driver} figures were returned for any month of {period}.")
            : WithNote(Of(
                costed.Sum(m => m.Service.NetCost!.Value),
                costed.Sum(m => m.Service.Units!.Value),
                driver,
                period.ToString()), note);
        var councilTotals = councils.Select(c =>
        {
            var parts = costed.Select(m => m.Councils.Single(x => x.Council == c).Cost)
                .Where(x => x.NetCost is not null && x.Units is not null)
                .ToList();
            return new CouncilUnitCost(c, parts.Count == 0
                ? new UnitCost(null, null, null, $"No month of {period} has both {c}'s share and its {driver} figure.")
                : WithNote(
                    Of(parts.Sum(x => x.NetCost!.Value), parts.Sum(x => x.Units!.Value), driver, period.ToString()),
                    note));
        }).ToList();
        return new UnitCostReport(period, driver, result, total, councilTotals);
    }

    private static UnitCost CouncilMonth(
        string council,
        IReadOnlyDictionary<string, decimal>? shares,
        IReadOnlyDictionary<string, decimal>? units,
        string driver,
        Month month)
    {
        decimal? share = shares is null ? null : shares.GetValueOrDefault(council);
        if (units is null)
        {
            return new UnitCost(share, null, null, $"No {driver} figures were returned for {month}.");
        }

        if (!units.TryGetValue(council, out var quantity))
        {
            return new UnitCost(share, null, null, $"The {month} return has no {driver} figure for {council}.");
        }

        return share is null
            ? new UnitCost(
                null,
                quantity,
                null,
                $"The cost for {month} cannot be apportioned, so {council}'s share is not known.")
            : Of(share.Value, quantity, driver, month.ToString());
    }

    private static UnitCost Of(decimal cost, decimal units, string driver, string when) =>
        units == 0m
            ? new UnitCost(cost, 0m, null, $"No {driver} were recorded in {when}, so there is no cost per unit.")
            : new UnitCost(cost, units, Money.Round2(cost / units), null);

    private static UnitCost WithNote(UnitCost cost, string? note) =>
        note is null || cost.Reason is not null ? cost : cost with { Reason = note };

    /// <summary>
    /// The month's split by its agreement, or null when it cannot be split (e.g. a driver month without figures).
    /// </summary>
    private static Dictionary<string, decimal>? SharesOf(string service, ServiceMonthInput month)
    {
        try
        {
            var split = Apportioner.Apportion(service, Period.ForMonth(month.Month), [month]);
            return split.Allocations.ToDictionary(a => a.Council, a => a.Amount, StringComparer.Ordinal);
        }
        catch (ApportionmentException)
        {
            return null;
        }
    }
}
