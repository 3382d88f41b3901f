using Apportionment.Domain;

namespace Apportionment.Api.Features.Partnerships;

/// <summary>The pack's sections worked out from the ledger's figures, by the domain's own arithmetic.</summary>
public static class PackSections
{
    public static MethodDto Method(ServiceApportionment actual, IReadOnlyList<ServiceMonthInput> months)
    {
        var latest = months.LastOrDefault(m => m.Agreement is not null)?.Agreement?.Rule;
        var basis = months.Any(m => m.Support is not null) ? "support service: recharged to the services it supports"
            : latest is null ? "no agreement in force"
            : latest.Method switch
            {
                SplitMethod.Fixed => "fixed percentages",
                SplitMethod.Equal => "equal shares",
                _ => $"by {latest.Driver}",
            };
        var agreements = months.Where(m => m.Agreement is not null).GroupBy(m => m.Agreement!.AgreementId)
            .Select(g => new MethodAgreementDto(
                g.Key,
                g.First().Month.ToString(),
                MethodText(g.First().Agreement!.Rule.Method),
                g.First().Agreement!.Rule.Driver,
                g.Count()))
            .ToList();
        var driverMonths = months.Where(m => m.Agreement?.Rule.Method == SplitMethod.Driver).ToList();
        var councils = actual.Allocations.Select(a => a.Council).Union(latest?.Councils ?? [], StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        return new MethodDto(basis, agreements, councils.Select(c => new MethodCouncilDto(c,
            AgreedPercent(latest, c),
            driverMonths.Count == 0 ? null : driverMonths.Sum(m => m.Activity?.GetValueOrDefault(c) ?? 0m),
            actual.SharePercentOf(c), actual.ShareOf(c))).ToList());
    }

    private static string MethodText(SplitMethod method) => method switch
    {
        SplitMethod.Fixed => "fixed",
        SplitMethod.Equal => "equal",
        _ => "driver",
    };

    private static decimal? AgreedPercent(SplitRule? rule, string council) => rule?.Method switch
    {
        SplitMethod.Fixed => rule.Shares.FirstOrDefault(s => s.Council == council)?.Percent,
        SplitMethod.Equal when rule.Councils.Contains(council) => Math.Round(
            100m / rule.Councils.Count,
            4,
            MidpointRounding.AwayFromZero),
        _ => null,
    };

    /// <summary>
    /// Each month's income split as that month's cost is. A support service's income travels with its cost to the
    /// services it supports, so it is split there, not here.
    /// </summary>
    public static ServiceApportionment Income(
        string service,
        Period year,
        IReadOnlyList<ServiceMonthInput> months,
        IReadOnlyDictionary<DateOnly, decimal> income) =>
        LedgerReader.OrCannotApportion(() => Apportioner.Apportion(service, year, months.Select(m => m with
        {
            NetCost = m.Support is null ? -income.GetValueOrDefault(m.Month.FirstDay) : 0m,
            Support = null,
            Agreement = m.Support is null ? m.Agreement : null,
        })));

    public static CostDto Cost(
        Period year, Month start, ServiceApportionment actual, ServiceApportionment? lastYear,
        IReadOnlyList<ServiceMonthInput> months,
        IReadOnlyList<decimal> profile, decimal? reductionTarget, IReadOnlySet<DateOnly> closed)
    {
        decimal CostOf(ServiceApportionment a, Month m) => a.Months.FirstOrDefault(x => x.Month == m)?.NetCost ?? 0m;
        var driver = months.LastOrDefault(m => m.Agreement?.Rule.Driver is not null)?.Agreement!.Rule.Driver;
        UnitCostReport? units = null;
        if (driver is not null)
        {
            units = UnitCosts.For(actual.Service, year, driver, months
                .Select(m => new UnitCostInput(m with { NetCost = CostOf(actual, m.Month) },
                    m.Agreement?.Rule.Driver == driver ? m.Activity : null))
                .ToList());
        }

        var rows = year.Months.Select((m, i) =>
        {
            var cost = CostOf(actual, m);
            decimal? before = lastYear is null || m.AddMonths(-12) < start ? null : CostOf(lastYear, m.AddMonths(-12));
            var unit = units?.Months.FirstOrDefault(u => u.Month == m)?.Service;
            return new CostMonthDto(
                m.ToString(),
                closed.Contains(m.FirstDay) ? ReviewPackReader.Closed : ReviewPackReader.Provisional,
                cost,
                profile[i],
                cost - profile[i],
                before,
                unit?.Units,
                unit?.CostPerUnit);
        }).ToList();
        var budget = Money.Normalise(profile.Sum());
        return new CostDto(driver, rows, actual.NetCost, budget, actual.NetCost - budget,
            rows.All(r => r.LastYear is not null) ? Money.Normalise(rows.Sum(r => r.LastYear!.Value)) : null,
            units?.Service.Units, units?.Service.CostPerUnit, reductionTarget);
    }

    public static TradingAccountDto Trading(
        ServiceApportionment actual,
        ServiceApportionment budget,
        ServiceApportionment income)
    {
        var lines = actual.Allocations.Concat(budget.Allocations).Concat(income.Allocations).Select(a => a.Council)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(c => new TradingLineDto(
                c,
                budget.ShareOf(c),
                actual.ShareOf(c),
                income.ShareOf(c),
                budget.ShareOf(c) - actual.ShareOf(c)))
            .ToList();
        var total = new TradingLineDto(
            "TOTAL",
            Money.Normalise(lines.Sum(l => l.BudgetShare)),
            Money.Normalise(lines.Sum(l => l.ActualShare)),
            Money.Normalise(lines.Sum(l => l.IncomeShare)),
            Money.Normalise(lines.Sum(l => l.SurplusDeficit)));
        return new TradingAccountDto(lines, total);
    }
}
