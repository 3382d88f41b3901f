using System.Text.Json.Serialization;
using Apportionment.Api.Features.Ledger;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Http;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Pipeline;
using Apportionment.Api.Infrastructure.Security;
using Apportionment.Api.Infrastructure.Validation;
using Apportionment.Api.Infrastructure.Webhooks;
using Apportionment.Domain;
using Apportionment.Domain.Billing;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Features.Billing;

/// <summary>The year-end true-up per partner: actual share, invoiced on account, final charge and its VAT.</summary>
public sealed record GetYearEnd(string Service, string FinancialYear) : IQuery<YearEndDto>;

/// <summary>Issues the year's final invoices and credit notes, once, when every month of the year is closed.</summary>
public sealed record IssueYearEnd : ICommand<YearEndDto>, IAudited<YearEndDto>, IIdempotent
{
    [JsonIgnore] public string Service { get; init; } = "";
    [JsonIgnore] public string FinancialYear { get; init; } = "";
    [JsonIgnore] public string? IdempotencyKey { get; init; }
    [JsonIgnore] public string AuditEntity => "year-end";
    public string AuditEntityId(YearEndDto response) => $"{response.Service}/{response.FinancialYear}";
}

public sealed class GetYearEndValidator : IValidator<GetYearEnd>
{
    public void Validate(GetYearEnd request, ValidationErrors errors)
        => errors.FinancialYear("financialYear", request.FinancialYear);
}

public sealed class IssueYearEndValidator : IValidator<IssueYearEnd>
{
    public void Validate(IssueYearEnd request, ValidationErrors errors)
        => errors.FinancialYear("financialYear", request.FinancialYear);
}

public sealed class GetYearEndHandler(
    ApportionmentDb db,
    Caller caller,
    YearEndReader reader) : IQueryHandler<GetYearEnd, YearEndDto>
{
    public async ValueTask<YearEndDto> Handle(GetYearEnd query, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(query.Service, caller, cancellationToken);
        var result = await reader.ReadAsync(service, query.FinancialYear.ToYear(), cancellationToken);
        // A partner sees its own line; the host and an admin see every partner's.
        return caller.IsAdmin || caller.Council == service.HostCouncil
            ? result
            : result with { Councils = result.Councils.Where(c => c.Council == caller.Council).ToList() };
    }
}

public sealed class IssueYearEndHandler(
    ApportionmentDb db, Caller caller, YearEndReader reader, BillingReader billing, WebhookOutbox outbox,
    TimeProvider clock)
    : ICommandHandler<IssueYearEnd, YearEndDto>
{
    public async ValueTask<YearEndDto> Handle(IssueYearEnd command, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(command.Service, caller, cancellationToken);
        caller.EnsureActsFor(service.HostCouncil, "issue the year end (only the host council may)");
        var terms = await billing.InvoicingTermsAsync(service.Code, cancellationToken);
        var year = command.FinancialYear.ToYear();
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"select pg_advisory_xact_lock(hashtext('invoices:' || {service.Code}))",
            cancellationToken);
        var figures = await reader.ReadAsync(service, year, cancellationToken);
        if (figures.Issued)
        {
            throw new ConflictException($"The {year} year end of '{service.Code}' was issued on "
                + $"{figures.IssuedAt:yyyy-MM-dd}; it is issued once.");
        }

        if (figures.OpenMonths.Count > 0)
        {
            throw new ConflictException(
                $"The {year} year end of '{service.Code}' needs every month of the year closed; still open: "
                    + $"{string.Join(", ", figures.OpenMonths)}.",
                ProblemTypes.ClosedPeriod);
        }

        var today = billing.Today;
        db.YearEndIssues.Add(new YearEndIssue
        {
            ServiceCode = service.Code,
            FinancialYear = year.FinancialYearStart,
            IssuedAt = clock.GetUtcNow(),
            IssuedByKey = caller.KeyId
        });
        var finals = figures.Councils.Where(c => c.FinalCharge != 0m)
            .Select(c => new NewInvoice(service.Code, c.Council,
                c.FinalCharge > 0m ? BillingWords.Final : BillingWords.CreditNote, year, c.FinalCharge, terms
                .VatTreatment, terms.PaymentTermsDays, null))
            .ToList();
        var invoices = await InvoiceWriter.IssueAsync(
            db,
            service.HostCouncil,
            today,
            finals,
            caller.KeyId,
            clock,
            cancellationToken);
        foreach (var invoice in invoices)
        {
            await outbox.BillingAsync(
                WebhookEventTypes.InvoiceIssued,
                service.Code,
                [service.HostCouncil, invoice.Council],
                InvoiceEvent.From(invoice),
                cancellationToken);
        }

        var issued = await reader.ReadAsync(service, year, cancellationToken);
        await outbox.BillingAsync(WebhookEventTypes.YearEndIssued, service.Code, [service.HostCouncil, .. issued
            .Councils
            .Select(c => c.Council)],
            new YearEndEvent(service.Code, issued.FinancialYear, invoices.Select(InvoiceEvent.From).ToList(),
                $"/api/v1/shared-services/{service.Code}/year-end/{issued.FinancialYear}"), cancellationToken);
        return issued;
    }
}

public sealed record YearEndEvent(
    string Service,
    string FinancialYear,
    IReadOnlyList<InvoiceEvent> Invoices,
    string Href);

/// <summary>Works out a service's year end from the ledger, the terms and the invoices raised on account.</summary>
public sealed class YearEndReader(ApportionmentDb db, LedgerReader ledger, BillingReader billing)
{
    public async Task<YearEndDto> ReadAsync(SharedService service, Period year, CancellationToken ct)
    {
        var terms = await db.BillingTerms.AsNoTracking().SingleOrDefaultAsync(t => t.ServiceCode == service.Code, ct)
            ?? throw new ConflictException($"'{service.Code}' has no billing terms: set them with PUT "
                + $"/api/v1/shared-services/{service.Code}/billing first.");
        var l = (await ledger.ReadAsync([service.Code], year, ct))[0];
        var invoices = await billing.InvoicesOfYearAsync(service.Code, year, ct);
        var onAccount = invoices.Where(i => i.Kind == BillingWords.OnAccount).GroupBy(i => i.Council)
            .ToDictionary(g => g.Key, g => g.Sum(i => i.Net), StringComparer.Ordinal);
        var estimate = terms.Basis == "estimate"
            ? terms.Estimate!.Select(e => new CouncilShare(e.Key, e.Value)).ToList()
            : null;
        var charges = YearEnd.TrueUp(
            new YearEndInput(l.Apportionment.Allocations, onAccount, l.Paid, estimate, terms.TolerancePercent),
            BillingWords.Treatment(terms.VatTreatment));
        var finals = invoices.Where(i => i.Kind != BillingWords.OnAccount && i.Period == year.ToString())
            .ToDictionary(i => i.Council, i => i.Number, StringComparer.Ordinal);
        var issued = await db.YearEndIssues.AsNoTracking()
            .SingleOrDefaultAsync(y => y.ServiceCode == service.Code && y.FinancialYear == year.FinancialYearStart, ct);
        var running = year.Months.Where(m => service.Contains(m.FirstDay)).Select(m => m.FirstDay).ToList();
        var closed = await db.ClosedMonths.AsNoTracking().Where(
            c => c.ServiceCode == service.Code && running.Contains(c.Month)).Select(c => c.Month).ToListAsync(ct);
        return new YearEndDto(service.Code, year.ToString(), service.HostCouncil, terms.Basis, estimate is null
            ? null
            : terms.TolerancePercent,
            terms.VatTreatment, l.Apportionment.NetCost, running.Except(closed).Select(m => m.ToMonthText())
                .ToList(), issued is not null, issued?.IssuedAt,
            charges.Where(c => c.Council != service.HostCouncil)
                .Select(c => YearEndCouncilDto.From(c, finals.GetValueOrDefault(c.Council)))
                .ToList());
    }
}
