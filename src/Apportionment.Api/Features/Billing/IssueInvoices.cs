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

/// <summary>
/// Raises the on-account invoices of one billing period (a month, quarter or year, as the terms' schedule says): one
/// per partner with a charge, never for the host. Raising a period already raised changes nothing and returns its
/// invoices, so a retry can never bill twice. issuedOn (default today, never in the future) dates invoices raised
/// earlier outside the service; the number follows the financial year of that date.
/// </summary>
public sealed record IssueInvoices(string? Period, string? IssuedOn = null) :
    ICommand<InvoiceRunDto>,
    IAudited<InvoiceRunDto>,
    IIdempotent
{
    [JsonIgnore] public string Service { get; init; } = "";
    [JsonIgnore] public string? IdempotencyKey { get; init; }
    [JsonIgnore] public string AuditEntity => "invoices";
    public string AuditEntityId(InvoiceRunDto response) => $"{response.Service}/{response.Period}";
}

public sealed class IssueInvoicesValidator : IValidator<IssueInvoices>
{
    public void Validate(IssueInvoices request, ValidationErrors errors)
    {
        errors.PeriodText("period", request.Period);
        if (request.IssuedOn is not null && !DateOnly.TryParseExact(request.IssuedOn, "yyyy-MM-dd", out _))
        {
            errors.Add("issuedOn", "Must be a date like 2025-07-01.");
        }
    }
}

public sealed class IssueInvoicesHandler(
    ApportionmentDb db,
    Caller caller,
    BillingReader billing,
    WebhookOutbox outbox,
    TimeProvider clock)
    : ICommandHandler<IssueInvoices, InvoiceRunDto>
{
    public async ValueTask<InvoiceRunDto> Handle(IssueInvoices command, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(command.Service, caller, cancellationToken);
        caller.EnsureActsFor(service.HostCouncil, "raise invoices (only the host council may)");
        var terms = await billing.InvoicingTermsAsync(service.Code, cancellationToken);
        var period = Period.Parse(command.Period!);
        var schedule = BillingWords.Schedule(terms.Schedule);
        if (!OnAccount.Periods(period.FinancialYearStart, schedule).Contains(period))
        {
            throw RequestValidationException
                .For("period", $"'{service.Code}' is billed {terms.Schedule}: give a {terms.Schedule} period, e.g. "
                    + OnAccount.Periods(period.FinancialYearStart, schedule)[0] + ".");
        }

        // Two hosts' clerks pressing the button at once: the second waits and finds the first one's invoices.
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"select pg_advisory_xact_lock(hashtext('invoices:' || {service.Code}))",
            cancellationToken);
        var today = billing.Today;
        if (command.IssuedOn is { } issuedOn)
        {
            var date = DateOnly.ParseExact(issuedOn, "yyyy-MM-dd");
            today = date <= today
                ? date
                : throw RequestValidationException.For("issuedOn", "An invoice cannot be dated in the future.");
        }

        var text = period.ToString();
        var existing = await db.Invoices.AsNoTracking()
            .Where(i => i.ServiceCode == service.Code && i.Period == text && i.Kind == BillingWords.OnAccount
                && i.Status != BillingWords.Cancelled)
            .OrderBy(i => i.Sequence).ToListAsync(cancellationToken);
        if (existing.Count > 0)
        {
            return new InvoiceRunDto(
                service.Code,
                text,
                false,
                existing.Select(i => InvoiceDto.From(i, billing.Today)).ToList());
        }

        var year = Domain.Period.FinancialYear(period.FinancialYearStart);
        var expected = await billing.ExpectedYearAsync(service, terms, year, cancellationToken);
        var instalment = OnAccount.Instalments(expected, schedule).Single(i => i.Period == period);
        var charges = instalment.Charges.Where(c => c.Council != service.HostCouncil && c.Amount > 0m).ToList();
        var invoices = await InvoiceWriter.IssueAsync(db, service.HostCouncil, today, charges
            .Select(c => new NewInvoice(
                service.Code, c.Council, BillingWords.OnAccount, period, c.Amount, terms.VatTreatment, terms
                .PaymentTermsDays, null))
            .ToList(), caller.KeyId, clock, cancellationToken);
        foreach (var invoice in invoices)
        {
            await outbox.BillingAsync(
                WebhookEventTypes.InvoiceIssued,
                service.Code,
                [service.HostCouncil, invoice.Council],
                InvoiceEvent.From(invoice),
                cancellationToken);
        }

        return new InvoiceRunDto(
            service.Code,
            text,
            true,
            invoices.Select(i => InvoiceDto.From(i, billing.Today)).ToList());
    }
}

/// <summary>An invoice about to be issued: net is positive for a charge, negative for a credit note.</summary>
public sealed record NewInvoice(
    string Service,
    string Council,
    string Kind,
    Period Period,
    decimal Net,
    string VatTreatment,
    int PaymentTermsDays,
    Guid? Cancels);

/// <summary>Numbers and stores invoices in the caller's transaction.</summary>
public static class InvoiceWriter
{
    public static async Task<List<Invoice>> IssueAsync(
        ApportionmentDb db, string host, DateOnly today, IReadOnlyList<NewInvoice> wanted, Guid? key,
        TimeProvider clock, CancellationToken ct)
    {
        var numbers = await InvoiceNumbers.TakeAsync(db, host, today, wanted.Count, ct);
        var invoices = wanted.Select((w, n) =>
        {
            var vat = Vat.On(w.Net, BillingWords.Treatment(w.VatTreatment));
            return new Invoice
            {
                Id = Guid.CreateVersion7(), Number = numbers[n].Number, HostCouncil = host, NumberYear = numbers[n]
                    .Year, Sequence = numbers[n].Sequence,
                ServiceCode = w.Service, Council = w.Council, Kind = w.Kind, Period = w.Period.ToString(),
                PeriodFirst = w.Period.First.FirstDay, PeriodLast = w.Period.Last.FirstDay,
                Net = Money.Normalise(w.Net), Vat = vat, Gross = Money.Normalise(w.Net + vat), VatTreatment = w
                    .VatTreatment,
                IssuedOn = today, DueOn = today.AddDays(w.PaymentTermsDays), Status = BillingWords.Issued,
                Paid = 0.00m, Cancels = w.Cancels, CreatedAt = clock.GetUtcNow(), IssuedByKey = key,
            };
        }).ToList();
        db.Invoices.AddRange(invoices);
        await db.SaveChangesAsync(ct);
        return invoices;
    }
}

/// <summary>What invoice.issued and invoice.paid carry.</summary>
public sealed record InvoiceEvent(
    string Number,
    string Kind,
    string Service,
    string HostCouncil,
    string Council,
    string Period,
    decimal Gross,
    string Status,
    decimal Paid,
    string Href)
{
    public static InvoiceEvent From(
        Invoice i) =>
        new(i.Number, i.Kind, i.ServiceCode, i.HostCouncil, i.Council, i.Period, i.Gross, i.Status, i.Paid,
        $"/api/v1/shared-services/{i.ServiceCode}/invoices/{i.Number}");
}
