namespace Apportionment.Api.Features.Ledger;

/// <summary>
/// The queries budget reads share: the current version of each budget and the targets worked from them.
/// </summary>
public static class BudgetReads
{
    /// <summary>The latest version of each of the services' budgets for the year, by service code.</summary>
    public static async Task<Dictionary<string, BudgetVersion>> LatestAsync(
        ApportionmentDb db,
        IReadOnlyCollection<string> services,
        int year,
        CancellationToken ct) =>
        (await db.Budgets.AsNoTracking()
            .Where(b => services.Contains(b.ServiceCode) && b.FinancialYear == year)
            .GroupBy(b => b.ServiceCode)
            .Select(g => g.OrderByDescending(b => b.Version).First())
            .ToListAsync(ct))
        .ToDictionary(b => b.ServiceCode, StringComparer.Ordinal);

    /// <summary>
    /// Each service's target for the year: its reduction applied from the current budget of its base year.
    /// </summary>
    public static async Task<Dictionary<string, decimal?>> TargetsAsync(
        ApportionmentDb db,
        IReadOnlyCollection<string> services,
        int year,
        CancellationToken ct)
    {
        var targets = await db.BudgetTargets.AsNoTracking().Where(t => services.Contains(t.ServiceCode))
            .ToListAsync(ct);
        var result = new Dictionary<string, decimal?>(StringComparer.Ordinal);
        foreach (var byBase in targets.GroupBy(t => t.BaseYear))
        {
            var bases = await LatestAsync(db, byBase.Select(t => t.ServiceCode).ToList(), byBase.Key, ct);
            foreach (var target in byBase)
            {
                result[target.ServiceCode]
                    = TargetFor(target, year, bases.GetValueOrDefault(target.ServiceCode)?.Amount);
            }
        }

        return result;
    }

    public static async Task<decimal?> TargetForAsync(
        ApportionmentDb db,
        string service,
        int year,
        CancellationToken ct) =>
        (await TargetsAsync(db, [service], year, ct)).GetValueOrDefault(service);

    /// <summary>
    /// The target for the year from the service's reduction target and its base year's budget, if both exist.
    /// </summary>
    public static decimal? TargetFor(BudgetTarget? target, int year, decimal? baseBudget) =>
        target is null || baseBudget is null
            ? null
            : new ReductionTarget(target.ReductionPercent, target.BaseYear).For(year, baseBudget.Value);
}
