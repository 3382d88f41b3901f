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
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Features.Billing;

/// <summary>
/// The host records money received against an invoice. The same reference again with the same amount and date is the
/// same payment (answered, not recorded or audited twice); more than is outstanding is refused.
/// </summary>
public sealed record RecordPayment(decimal? Amount, string? PaidOn, string? Reference) :
    ICommand<PaymentDto>,
    IAudited<PaymentDto>,
    IIdempotent
{
    [JsonIgnore] public string Service { get; init; } = "";
    [JsonIgnore] public string Number { get; init; } = "";
    [JsonIgnore] public string? IdempotencyKey { get; init; }
    [JsonIgnore] public string AuditEntity => "invoice-payment";
    public string AuditEntityId(PaymentDto response) => $"{response.Invoice}/{response.Reference}";
}

public sealed class RecordPaymentValidator : IValidator<RecordPayment>
{
    public void Validate(RecordPayment r, ValidationErrors errors)
    {
        errors.Money("amount", r.Amount);
        if (r.Amount is <= 0m)
        {
            errors.Add("amount", "Must be more than zero.");
        }

        if (!DateOnly.TryParseExact(r.PaidOn, "yyyy-MM-dd", out _))
        {
            errors.Add("paidOn", "Is required, as a date like 2025-07-31.");
        }

        errors.Name("reference", r.Reference, 100);
    }
}

public sealed class RecordPaymentHandler(
    ApportionmentDb db,
    Caller caller,
    BillingReader billing,
    WebhookOutbox outbox,
    TimeProvider clock)
    : ICommandHandler<RecordPayment, PaymentDto>
{
    public async ValueTask<PaymentDto> Handle(RecordPayment command, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(command.Service, caller, cancellationToken);
        caller.EnsureActsFor(service.HostCouncil, "record payments (only the host council, which receives them, may)");
        // Locked, so two payments racing for the last pound cannot both fit.
        var invoice = await InvoiceQueries.LockedAsync(db, caller, service.Code, command.Number, cancellationToken);
        var paidOn = DateOnly.ParseExact(command.PaidOn!, "yyyy-MM-dd");
        var amount = Money.Normalise(command.Amount!.Value);
        var today = billing.Today;
        var same = await db.InvoicePayments.AsNoTracking().SingleOrDefaultAsync(
            p => p.InvoiceId == invoice.Id && p.Reference == command.Reference,
            cancellationToken);
        if (same is not null)
        {
            return same.Amount == amount && same.PaidOn == paidOn
                ? ToDto(same, invoice, today) with { IsRepeat = true }
                : throw new ConflictException($"Payment {command.Reference} is already recorded against "
                    + $"{invoice.Number} with a different amount or date.");
        }

        if (invoice.Kind == BillingWords.CreditNote || invoice.Status == BillingWords.Cancelled)
        {
            throw new ConflictException($"{invoice.Number} is "
                + $"{(invoice.Kind == BillingWords.CreditNote ? "a credit note" : "cancelled")}: nothing is due on "
                + "it.");
        }

        if (paidOn > today)
        {
            throw RequestValidationException.For(
                "paidOn",
                "A payment is recorded once received: the date cannot be in the future.");
        }

        var outstanding = invoice.Gross - invoice.Paid;
        if (amount > outstanding)
        {
            throw RequestValidationException.For(
                "amount",
                $"Over-payment refused: {invoice.Number} has {outstanding:0.00} outstanding.");
        }

        var payment = new InvoicePayment
        {
            Id = Guid.CreateVersion7(), InvoiceId = invoice.Id, Amount = amount, PaidOn = paidOn, Reference = command
                .Reference!,
            RecordedAt = clock.GetUtcNow(), RecordedByKey = caller.KeyId,
        };
        db.InvoicePayments.Add(payment);
        invoice.Paid += amount;
        invoice.Status = invoice.Paid == invoice.Gross ? BillingWords.Paid : BillingWords.PartPaid;
        await db.SaveChangesAsync(cancellationToken);
        await outbox.BillingAsync(
            WebhookEventTypes.InvoicePaid,
            service.Code,
            [invoice.HostCouncil, invoice.Council],
            InvoiceEvent.From(invoice),
            cancellationToken);
        return ToDto(payment, invoice, today);
    }

    private static PaymentDto ToDto(InvoicePayment p, Invoice i, DateOnly today) =>
        new(p.Id, i.Number, p.Amount, p.PaidOn, p.Reference, p.RecordedAt, InvoiceDto.From(i, today));
}

/// <summary>
/// Cancels an unpaid invoice by issuing a credit note for its full amount; the invoice itself is kept.
/// </summary>
public sealed record CancelInvoice : ICommand<InvoiceDto>, IAudited<InvoiceDto>, IIdempotent
{
    [JsonIgnore] public string Service { get; init; } = "";
    [JsonIgnore] public string Number { get; init; } = "";
    [JsonIgnore] public string? IdempotencyKey { get; init; }
    [JsonIgnore] public string AuditEntity => "invoice";
    public string AuditEntityId(InvoiceDto response) => response.Cancels ?? response.Number;
}

public sealed class CancelInvoiceHandler(
    ApportionmentDb db,
    Caller caller,
    BillingReader billing,
    TimeProvider clock) : ICommandHandler<CancelInvoice, InvoiceDto>
{
    public async ValueTask<InvoiceDto> Handle(CancelInvoice command, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(command.Service, caller, cancellationToken);
        caller.EnsureActsFor(service.HostCouncil, "cancel invoices (only the host council may)");
        var invoice = await InvoiceQueries.LockedAsync(db, caller, service.Code, command.Number, cancellationToken);
        if (invoice.Kind == BillingWords.CreditNote || invoice.Status != BillingWords.Issued)
        {
            throw new ConflictException($"{invoice.Number} is "
                + $"{(invoice.Kind == BillingWords.CreditNote ? "a credit note" : invoice.Status)}: only an unpaid "
                + "invoice can be cancelled.");
        }

        invoice.Status = BillingWords.Cancelled;
        await db.SaveChangesAsync(cancellationToken);
        var period = Period.Parse(invoice.Period);
        var credit = (await InvoiceWriter.IssueAsync(db, service.HostCouncil, billing.Today,
            [new NewInvoice(
                service.Code,
                invoice.Council,
                BillingWords.CreditNote,
                period,
                -invoice.Net,
                invoice.VatTreatment,
                0,
                invoice.Id)],
            caller.KeyId, clock, cancellationToken))[0];
        return InvoiceDto.From(credit, billing.Today, invoice.Number);
    }
}
