using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Domain;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Features.Partnerships;

/// <summary>
/// Assembles a review pack from the shared ledger read model (<see cref="LedgerReader"/>: the same apportionment the
/// statements, savings and budget monitoring are worked from) and the domain's arithmetic; nothing is rounded here.
/// </summary>
public sealed class ReviewPackReader(ApportionmentDb db, LedgerReader ledger, TimeProvider clock)
{
    public const string Closed = "closed";
    public const string Provisional = "provisional";

    public async Task<ReviewPackDto> ReadAsync(SharedService service, Period year, CancellationToken ct)
    {
        var l = (await ledger.ReadAsync([service.Code], year, ct))[0];
        var inputs = (await ledger.ReadMonthsAsync([service.Code], year, ct))[0].Months;
        var (first, last) = (year.First.FirstDay, year.Last.FirstDay);
        var closed = (await db.ClosedMonths.AsNoTracking()
            .Where(c => c.ServiceCode == service.Code && c.Month >= first && c.Month <= last)
            .Select(c => c.Month)
            .ToListAsync(ct)).ToHashSet();
        var months = year.Months
            .Select(m => new PackMonthDto(m.ToString(), closed.Contains(m.FirstDay) ? Closed : Provisional))
            .ToList();
        var governance = await db.Governance.AsNoTracking()
            .SingleOrDefaultAsync(g => g.ServiceCode == service.Code, ct);
        var budget = await db.Budgets.AsNoTracking()
            .Where(b => b.ServiceCode == service.Code && b.FinancialYear == year.FinancialYearStart)
            .OrderByDescending(b => b.Version)
            .FirstOrDefaultAsync(ct);
        var profile = budget?.Profile ?? new decimal[12];
        // A support service's budget, like its cost, goes to the services it supports: none of it is split to councils
        // here.
        var splitProfile = profile.Select(
            (amount, i) => inputs.Any(m => m.Month.FinancialYearPosition == i && m.Support is not null) ? 0m : amount)
            .ToArray();
        var budgetShares = LedgerReader.OrCannotApportion(
            () => BudgetShares.Apportion(service.Code, year, splitProfile, inputs));
        var incomeByMonth = await IncomeAsync(service.Code, year, ct);
        var income = PackSections.Income(service.Code, year, inputs, incomeByMonth);

        return new ReviewPackDto(
            service.Code,
            service.Name,
            service.HostCouncil,
            year.ToString(),
            clock.GetUtcNow(),
            months,
            governance is null ? null : GovernanceDto.From(service, governance),
            PackSections.Method(l.Apportionment, inputs),
            await CostAsync(service, year, l.Apportionment, inputs, profile, closed, ct),
            PackSections.Trading(l.Apportionment, budgetShares, income),
            await SavingsAsync(service.Code, l.Apportionment, governance, ct),
            await IndicatorsAsync(service.Code, year, ct),
            await AgreementsAsync(service.Code, year, ct));
    }

    /// <summary>
    /// Income is what came in (postings below zero) that was not reversed, by month: the postings of one service and
    /// year only, read by the ledger's (service, month) index.
    /// </summary>
    private Task<Dictionary<DateOnly, decimal>> IncomeAsync(string service, Period year, CancellationToken ct)
    {
        var (first, last) = (year.First.FirstDay, year.Last.FirstDay);
        return db.CostPostings.AsNoTracking()
            .Where(p => p.ServiceCode == service && p.Month >= first && p.Month <= last && p.Amount < 0
                && p.ReversalOf == null
                && !db.CostPostings.Any(r => r.ReversalOf == p.Id))
            .GroupBy(p => p.Month).Select(g => new { Month = g.Key, Amount = g.Sum(p => p.Amount) })
            .ToDictionaryAsync(x => x.Month, x => x.Amount, ct);
    }

    private async Task<CostDto> CostAsync(
        SharedService service, Period year, ServiceApportionment actual, IReadOnlyList<ServiceMonthInput> inputs,
        decimal[] profile,
        HashSet<DateOnly> closed, CancellationToken ct)
    {
        var start = Month.FromDate(service.StartMonth);
        ServiceApportionment? lastYear = null;
        if (year.First.AddMonths(-1) >= start)
        {
            try
            {
                lastYear = (await ledger.ReadAsync(
                    [service.Code],
                    Period.FinancialYear(year.FinancialYearStart - 1),
                    ct))[0].Apportionment;
            }
            catch (ApiProblemException)
            {
                // Last year cannot be apportioned (a month without an agreement or figures): no comparison, not a
                // failure.
            }
        }

        var reduction = await db.BudgetTargets.AsNoTracking()
            .SingleOrDefaultAsync(t => t.ServiceCode == service.Code, ct);
        decimal? target = null;
        if (reduction is not null)
        {
            var baseBudget = await db.Budgets.AsNoTracking()
                .Where(b => b.ServiceCode == service.Code && b.FinancialYear == reduction.BaseYear)
                .OrderByDescending(b => b.Version)
                .Select(b => (decimal?)b.Amount)
                .FirstOrDefaultAsync(ct);
            target = baseBudget is { } b
                ? new ReductionTarget(reduction.ReductionPercent, reduction.BaseYear).For(year.FinancialYearStart, b)
                : null;
        }

        return PackSections.Cost(year, start, actual, lastYear, inputs, profile, target, closed);
    }

    private async Task<PackSavingsDto> SavingsAsync(
        string service,
        ServiceApportionment actual,
        PartnershipGovernance? governance,
        CancellationToken ct)
    {
        var baselines = await db.Baselines.AsNoTracking().Where(b => b.ServiceCode == service)
            .ToDictionaryAsync(b => b.Council, b => b.AnnualCost, StringComparer.Ordinal, ct);
        var report = Domain.Savings.For(actual, baselines);
        var target = governance?.SavingsTarget;
        return new PackSavingsDto(
            report.Councils.Select(c => new PackSavingDto(c.Council, c.Baseline, c.Share, c.Saving)).ToList(),
            report.Baseline,
            report.Share,
            report.Saving,
            report.CouncilsWithoutBaseline,
            target,
            governance?
                .BaselineYear,
            target is { } t ? report.Saving - t : null);
    }

    private async Task<IReadOnlyList<PackIndicatorDto>> IndicatorsAsync(
        string service,
        Period year,
        CancellationToken ct)
    {
        var indicators = await IndicatorReads.ForServiceAsync(db, service, ct);
        var periods = indicators.ToDictionary(
            i => i.Key,
            i => IndicatorRules.PeriodsOf(i.Frequency, year),
            StringComparer.Ordinal);
        var values = await IndicatorReads.ValuesAsync(db, service,
            periods.Values.SelectMany(ps => ps).SelectMany(p => new[] { p, IndicatorRules.YearEarlier(p) }), ct);
        return indicators.Select(i =>
        {
            var results = periods[i.Key].Select(p => IndicatorReads.Assess(i, p, values)).ToList();
            return new PackIndicatorDto(
                i.Key,
                i.Name,
                i.Unit,
                i.Polarity,
                i.Frequency,
                IndicatorRules.TargetFor(i, year),
                i.Baseline,
                results,
                results.LastOrDefault(r => r.Service.Actual is not null || r.Councils.Count > 0));
        }).ToList();
    }

    private async Task<IReadOnlyList<PackAgreementDto>> AgreementsAsync(
        string service,
        Period year,
        CancellationToken ct)
    {
        var (from, to) = (new DateTimeOffset(year.First.FirstDay, TimeOnly.MinValue, TimeSpan.Zero),
            new DateTimeOffset(year.Last.AddMonths(1).FirstDay, TimeOnly.MinValue, TimeSpan.Zero));
        var (first, last) = (year.First.FirstDay, year.Last.FirstDay);
        var agreements = await db.SplitAgreements.AsNoTracking().Include(a => a.Approvals)
            .Where(a => a.ServiceCode == service && ((a.EffectiveFrom >= first && a.EffectiveFrom <= last)
                || (a.ProposedAt >= from && a.ProposedAt < to) || (a.AgreedAt >= from && a.AgreedAt < to)
                || (a.WithdrawnAt >= from && a.WithdrawnAt < to) || a.Approvals
                    .Any(x => x.ApprovedAt >= from && x.ApprovedAt < to)))
            .OrderBy(a => a.EffectiveFrom).ThenBy(a => a.ProposedAt).ToListAsync(ct);
        return agreements.Select(a => new PackAgreementDto(
            a.Id,
            Month.FromDate(a.EffectiveFrom).ToString(),
            a.Method,
            a.Driver,
            a.Status,
            a.ProposedAt,
            a.AgreedAt,
            a.Approvals.OrderBy(x => x.ApprovedAt).Select(x => new PackApprovalDto(x.Council, x.ApprovedAt))
                .ToList())).ToList();
    }
}
