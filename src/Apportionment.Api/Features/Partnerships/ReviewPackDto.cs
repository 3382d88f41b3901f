using System.Text.Json.Serialization;

namespace Apportionment.Api.Features.Partnerships;

/// <summary>status: closed (statements issued, figures final) or provisional (may still move).</summary>
public sealed record PackMonthDto(string Month, string Status);

/// <summary>An agreement that governed some of the year's months: the first of them, and how many.</summary>
public sealed record MethodAgreementDto(
    Guid Id,
    string FirstMonth,
    string Method,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Driver,
    int Months);

/// <summary>
/// agreedPercent: the council's percentage under the latest agreement of the year (a fixed or equal split; null for a
/// driver split); driverCount: its activity figures over the year's months split by that driver; sharePercent and
/// share: what it actually bore over the year.
/// </summary>
public sealed record MethodCouncilDto(
    string Council,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? AgreedPercent,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? DriverCount,
    decimal SharePercent, decimal Share);

public sealed record MethodDto(
    string Basis,
    IReadOnlyList<MethodAgreementDto> Agreements,
    IReadOnlyList<MethodCouncilDto> Councils);

/// <summary>
/// variance = netCost − budget (above zero: overspent); lastYear: the same month a year earlier (null when that year
/// cannot be apportioned or the service had not started); units and unitCost: the driver's figures and netCost per
/// unit.
/// </summary>
public sealed record CostMonthDto(
    string Month, string Status, decimal NetCost, decimal Budget, decimal Variance,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? LastYear,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? Units,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? UnitCost);

/// <summary>
/// The year's cost month by month; budget is the latest version set for the year (0 where none was set);
/// reductionTarget is the year's budget target where the partners agreed a yearly reduction.
/// </summary>
public sealed record CostDto(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Driver,
    IReadOnlyList<CostMonthDto> Months, decimal NetCost, decimal Budget, decimal Variance,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? LastYear,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? Units,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? UnitCost,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? ReductionTarget);

/// <summary>
/// budgetShare: the council's share of the budget, split month by month as its cost is; actualShare: its share of the
/// net cost (as its recharge statements show); incomeShare: its share of the income (fees and other receipts, shown as
/// a positive figure), already netted in actualShare; surplusDeficit = budgetShare − actualShare (above zero: a
/// surplus).
/// </summary>
public sealed record TradingLineDto(
    string Council,
    decimal BudgetShare,
    decimal ActualShare,
    decimal IncomeShare,
    decimal SurplusDeficit);

public sealed record TradingAccountDto(IReadOnlyList<TradingLineDto> Councils, TradingLineDto Total);

/// <summary>
/// baseline: the council's stand-alone cost for the year; saving = baseline − share (null without a baseline).
/// </summary>
public sealed record PackSavingDto(
    string Council,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? Baseline,
    decimal Share,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? Saving);

/// <summary>
/// The saving against the stand-alone baselines (totals over councils with one) and against the business case's
/// annual target: againstTarget = saving − businessCaseTarget (0 or more: the target was met).
/// </summary>
public sealed record PackSavingsDto(
    IReadOnlyList<PackSavingDto> Councils, decimal Baseline, decimal Share, decimal Saving, int CouncilsWithoutBaseline,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? BusinessCaseTarget,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? BaselineYear,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? AgainstTarget);

/// <summary>One indicator over the year: each of its months or quarters, and the latest with a figure.</summary>
public sealed record PackIndicatorDto(
    string Key, string Name, string Unit, string Polarity, string Frequency,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? Target,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? Baseline,
    IReadOnlyList<IndicatorPeriodDto> Periods,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] IndicatorPeriodDto? Latest);

public sealed record PackApprovalDto(string Council, DateTimeOffset ApprovedAt);

/// <summary>An agreement proposed, approved, agreed, withdrawn or taking effect during the year.</summary>
public sealed record PackAgreementDto(
    Guid Id, string EffectiveFrom, string Method, [property: JsonIgnore(
        Condition = JsonIgnoreCondition.Never)] string? Driver,
    string Status, DateTimeOffset ProposedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? AgreedAt,
    IReadOnlyList<PackApprovalDto> Approvals);

/// <summary>
/// A shared service's year as its joint committee reviews it. governance is null until the host records it. Figures
/// come from the same ledger as the statements: for each council, tradingAccount's actualShare is the service's line
/// on its recharge statement for the year, and savings its line on the savings report.
/// </summary>
public sealed record ReviewPackDto(
    string Service, string ServiceName, string HostCouncil, string FinancialYear, DateTimeOffset GeneratedAt,
    IReadOnlyList<PackMonthDto> Months,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] GovernanceDto? Governance,
    MethodDto Method, CostDto Cost, TradingAccountDto TradingAccount, PackSavingsDto Savings,
    IReadOnlyList<PackIndicatorDto> Indicators, IReadOnlyList<PackAgreementDto> Agreements)
{
    public int ClosedMonths => Months.Count(m => m.Status == ReviewPackReader.Closed);
}
