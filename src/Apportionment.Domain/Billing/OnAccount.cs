namespace Apportionment.Domain.Billing;

/// <summary>How often the host bills partners on account during the year.</summary>
public enum BillingSchedule
{
    Monthly,
    Quarterly,
    Annual,
}

/// <summary>One billing period's on-account charges, one per council, in ordinal council order.</summary>
public sealed record Instalment(Period Period, IReadOnlyList<CouncilAmount> Charges)
{
    public decimal ChargeOf(string council) =>
        Charges.FirstOrDefault(c => string.Equals(c.Council, council, StringComparison.Ordinal))?.Amount ?? 0m;
}

/// <summary>
/// On-account charges: a year's expected cost, split month by month between the councils (by budget share or by an
/// estimated split), then added up into the billing periods of the schedule. Because each month is split with
/// <see cref="LargestRemainder"/> and periods only add months together, every period's charges add up to its months'
/// amounts to the penny, and a council's instalments add up to its share of the year.
/// </summary>
public static class OnAccount
{
    /// <summary>The billing periods of a financial year under a schedule: 12 months, 4 quarters or the year.</summary>
    public static IReadOnlyList<Period> Periods(int financialYearStart, BillingSchedule schedule) => schedule switch
    {
        BillingSchedule.Monthly => Period.FinancialYear(financialYearStart).Months.Select(Period.ForMonth).ToList(),
        BillingSchedule.Quarterly => Enumerable.Range(1, 4).Select(q => Period.Quarter(financialYearStart, q)).ToList(),
        BillingSchedule.Annual => [Period.FinancialYear(financialYearStart)],
        _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule, "Unknown billing schedule."),
    };

    /// <summary>
    /// The year's split (e.g. <see cref="BudgetShares.Apportion"/>'s budget shares) grouped into the schedule's
    /// periods: each period's charge for a council is the sum of its months' allocations.
    /// </summary>
    public static IReadOnlyList<Instalment> Instalments(ServiceApportionment year, BillingSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(year);
        if (year.Period.Kind != PeriodKind.FinancialYear)
        {
            throw new ArgumentException("On-account charges are worked for a financial year.", nameof(year));
        }

        var councils = year.Allocations.Select(a => a.Council).ToList();
        return Periods(year.Period.FinancialYearStart, schedule).Select(period =>
        {
            var months = year.Months.Where(m => period.Contains(m.Month)).ToList();
            var charges = councils.Select(c => new CouncilAmount(c, Money.Normalise(months.Sum(m =>
                m.Allocations.FirstOrDefault(a => a.Council == c)?.Amount ?? 0m)))).ToList();
            return new Instalment(period, charges);
        }).ToList();
    }

    /// <summary>
    /// A year's budget profile (April to March) split by an estimated split agreed for billing, month by month with
    /// the domain's largest-remainder rounding, as if the estimate were the agreement in force all year.
    /// </summary>
    public static ServiceApportionment ByEstimate(
        string service,
        int financialYearStart,
        IReadOnlyList<decimal> profile,
        IReadOnlyList<CouncilShare> estimate)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var year = Period.FinancialYear(financialYearStart);
        var rule = new AgreementInForce(Guid.Empty, SplitRule.Fixed(estimate));
        return BudgetShares.Apportion(
            service,
            year,
            profile,
            year.Months.Select(m => new ServiceMonthInput(m, 0m, rule, null)).ToList());
    }
}
