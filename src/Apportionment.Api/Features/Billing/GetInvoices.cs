using Apportionment.Api.Features.Ledger;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Http;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Pipeline;
using Apportionment.Api.Infrastructure.Security;
using Apportionment.Api.Infrastructure.Validation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Features.Billing;

/// <summary>
/// A service's invoices: the host (and an admin) sees them all, a partner only those addressed to it.
/// </summary>
public sealed record ListServiceInvoices(
    string Service,
    string? Period,
    string? Status,
    int? Offset,
    int? Limit) : IQuery<InvoiceListDto>;

/// <summary>A council's invoices across services: those it issued as host and those it received as partner.</summary>
public sealed record ListCouncilInvoices(
    string Council,
    string? Role,
    string? Status,
    int? Offset,
    int? Limit) : IQuery<InvoiceListDto>;

public sealed class ListServiceInvoicesValidator : IValidator<ListServiceInvoices>
{
    public void Validate(ListServiceInvoices request, ValidationErrors errors)
    {
        errors.Paging(request.Offset, request.Limit);
        errors.OneOf("status", request.Status, InvoiceQueries.Statuses, required: false);
        if (request.Period is not null)
        {
            errors.PeriodText("period", request.Period);
        }
    }
}

public sealed class ListCouncilInvoicesValidator : IValidator<ListCouncilInvoices>
{
    public void Validate(ListCouncilInvoices request, ValidationErrors errors)
    {
        errors.Paging(request.Offset, request.Limit);
        errors.OneOf("status", request.Status, InvoiceQueries.Statuses, required: false);
        errors.OneOf("role", request.Role, ["issued", "received"], required: false);
    }
}

public sealed class ListServiceInvoicesHandler(
    ApportionmentDb db,
    Caller caller,
    BillingReader billing) : IQueryHandler<ListServiceInvoices, InvoiceListDto>
{
    public async ValueTask<InvoiceListDto> Handle(ListServiceInvoices query, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(query.Service, caller, cancellationToken);
        var invoices = db.Invoices.AsNoTracking().Where(i => i.ServiceCode == service.Code);
        if (!caller.IsAdmin && caller.Council != service.HostCouncil)
        {
            invoices = invoices.Where(i => i.Council == caller.Council);
        }

        if (query.Period is not null)
        {
            invoices = invoices.Where(i => i.Period == query.Period);
        }

        return await invoices.PageOfAsync(
            db,
            query.Status,
            billing.Today,
            query.Offset,
            query.Limit,
            cancellationToken);
    }
}

public sealed class ListCouncilInvoicesHandler(
    ApportionmentDb db,
    Caller caller,
    BillingReader billing) : IQueryHandler<ListCouncilInvoices, InvoiceListDto>
{
    public async ValueTask<InvoiceListDto> Handle(ListCouncilInvoices query, CancellationToken cancellationToken)
    {
        caller.EnsureActsFor(query.Council, "read invoices");
        if (!await db.Councils.AnyAsync(c => c.Code == query.Council, cancellationToken))
        {
            throw new NotFoundException("Council", query.Council);
        }

        var invoices = query.Role switch
        {
            "issued" => db.Invoices.Where(i => i.HostCouncil == query.Council),
            "received" => db.Invoices.Where(i => i.Council == query.Council),
            _ => db.Invoices.Where(i => i.HostCouncil == query.Council || i.Council == query.Council),
        };
        return await invoices.AsNoTracking()
            .PageOfAsync(db, query.Status, billing.Today, query.Offset, query.Limit, cancellationToken);
    }
}

/// <summary>One invoice, as JSON or as the PDF the host would send (Accept: application/pdf).</summary>
public sealed record GetInvoice(string Service, string Number) : IQuery<InvoiceDocument>;

public sealed class GetInvoiceHandler(
    ApportionmentDb db,
    Caller caller,
    BillingReader billing) : IQueryHandler<GetInvoice, InvoiceDocument>
{
    public async ValueTask<InvoiceDocument> Handle(GetInvoice query, CancellationToken cancellationToken)
    {
        var invoice = await InvoiceQueries.VisibleAsync(db, caller, query.Service, query.Number, cancellationToken);
        return await InvoiceDocument.ReadAsync(db, invoice, billing.Today, cancellationToken);
    }
}

public static class InvoiceQueries
{
    public static readonly IReadOnlyList<string> Statuses = [BillingWords.Issued, BillingWords.PartPaid, BillingWords
        .Paid, BillingWords.Cancelled, "overdue"];

    /// <summary>
    /// The invoice, if the caller may see it: 404 for anyone neither its host nor its partner (nor admin).
    /// </summary>
    public static async Task<Invoice> VisibleAsync(
        ApportionmentDb db,
        Caller caller,
        string service,
        string number,
        CancellationToken ct,
        bool tracked = false)
    {
        var invoices = tracked ? db.Invoices : db.Invoices.AsNoTracking();
        var invoice = await invoices.SingleOrDefaultAsync(i => i.ServiceCode == service && i.Number == number, ct);
        return invoice is not null
            && (caller.IsAdmin || caller.Council == invoice.HostCouncil || caller.Council == invoice.Council)
            ? invoice
            : throw new NotFoundException("Invoice", number);
    }

    /// <summary>
    /// The invoice, row-locked for the rest of the transaction so two payments or a payment and a cancellation
    /// cannot both act on what they read.
    /// </summary>
    public static async Task<Invoice> LockedAsync(
        ApportionmentDb db,
        Caller caller,
        string service,
        string number,
        CancellationToken ct)
    {
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"select 1 from invoices where service_code = {service} and number = {number} for update",
            ct);
        return await VisibleAsync(db, caller, service, number, ct, tracked: true);
    }

    public static async Task<InvoiceListDto> PageOfAsync(
        this IQueryable<Invoice> invoices, ApportionmentDb db, string? status, DateOnly today, int? offset, int? limit,
        CancellationToken ct)
    {
        invoices = status switch
        {
            null => invoices,
            "overdue" => invoices.Where(i => (i.Status == BillingWords.Issued || i.Status == BillingWords.PartPaid)
                && i.Kind != BillingWords.CreditNote && i.DueOn < today),
            _ => invoices.Where(i => i.Status == status),
        };
        var page = await invoices.OrderBy(i => i.HostCouncil).ThenBy(i => i.NumberYear).ThenBy(i => i.Sequence)
            .PageAsync(offset, limit, ct);
        var cancelled = page.Items.Where(i => i.Cancels is not null).Select(i => i.Cancels!.Value).ToList();
        var numbers = await db.Invoices.AsNoTracking().Where(i => cancelled.Contains(i.Id))
            .ToDictionaryAsync(i => i.Id, i => i.Number, ct);
        return new InvoiceListDto(
            page.Items.Select(i => InvoiceDto.From(i, today, i.Cancels is { } c ? numbers[c] : null)).ToList(),
            page.Offset,
            page.Limit,
            page.Total);
    }
}
