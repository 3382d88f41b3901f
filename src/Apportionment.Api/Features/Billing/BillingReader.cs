using Apportionment.Api.Features.Ledger;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Domain;
using Apportionment.Domain.Billing;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Features.Billing;

/// <summary>
/// Reads what billing works from: the terms, the year's budget split and the invoices already raised.
/// </summary>
public sealed class BillingReader(ApportionmentDb db, LedgerReader ledger, TimeProvider clock)
{
    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>
    /// The service's terms, or 409 when none are set or the partners settle by journal rather than invoice.
    /// </summary>
    public async Task<BillingTerms> InvoicingTermsAsync(string service, CancellationToken ct)
    {
        var terms = await db.BillingTerms.AsNoTracking().SingleOrDefaultAsync(t => t.ServiceCode == service, ct)
            ?? throw new ConflictException(
                $"'{service}' has no billing terms: set them with PUT /api/v1/shared-services/{service}/billing "
                    + "first.");
        return terms.Mode == "journal"
            ? throw new ConflictException(
                $"'{service}' settles by journal, not invoice: its billing terms' mode is 'journal'.")
            : terms;
    }

    /// <summary>
    /// The year's expected cost split month by month: the current budget's profile by the agreements in force (budget
    /// basis), or by the terms' estimated split (estimate basis). 409 when the year has no budget.
    /// </summary>
    public async Task<ServiceApportionment> ExpectedYearAsync(
        SharedService service,
        BillingTerms terms,
        Period year,
        CancellationToken ct)
    {
        var budget = await db.Budgets.AsNoTracking()
            .Where(b => b.ServiceCode == service.Code && b.FinancialYear == year.FinancialYearStart)
            .OrderByDescending(b => b.Version).FirstOrDefaultAsync(ct)
            ?? throw new ConflictException(
                $"'{service.Code}' has no budget for {year}: on-account charges are worked from it.");
        if (terms.Basis == "estimate")
        {
            return OnAccount.ByEstimate(service.Code, year.FinancialYearStart, budget.Profile,
                terms.Estimate!.Select(e => new CouncilShare(e.Key, e.Value)).ToList());
        }

        var months = (await ledger.ReadMonthsAsync([service.Code], year, ct))[0];
        return LedgerReader.OrCannotApportion(
            () => BudgetShares.Apportion(service.Code, year, budget.Profile, months.Months));
    }

    /// <summary>
    /// A council's live invoices (not cancelled, credit notes included) of the service within the year.
    /// </summary>
    public Task<List<Invoice>> InvoicesOfYearAsync(string service, Period year, CancellationToken ct)
    {
        var (first, last) = (year.First.FirstDay, year.Last.FirstDay);
        return db.Invoices.AsNoTracking()
            .Where(i => i.ServiceCode == service && i.PeriodFirst >= first && i.PeriodLast <= last
                && i.Status != BillingWords.Cancelled
                && i.Cancels == null)
            .ToListAsync(ct);
    }
}
