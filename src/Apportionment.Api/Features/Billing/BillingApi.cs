using Apportionment.Api.Features.Ledger;
using Apportionment.Api.Infrastructure.Http;
using Apportionment.Api.Infrastructure.Security;
using Apportionment.Api.Infrastructure.Validation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Apportionment.Api.Features.Billing;

public static class BillingApi
{
    public static RouteGroupBuilder MapBilling(this RouteGroupBuilder api)
    {
        var service = api.MapGroup("/shared-services/{code}").WithTags("Billing");
        service.MapBillingTerms();

        service.MapPost("/invoices", async (string code, IssueInvoices command, [FromHeader(
            Name = "Idempotency-Key")] string? idempotencyKey,
                IMediator mediator, CancellationToken ct) =>
            {
                var run = await mediator.Send(command with { Service = code, IdempotencyKey = idempotencyKey }, ct);
                return run.Created
                    ? Results.Created($"/api/v1/shared-services/{code}/invoices?period={run.Period}", run)
                    : Results.Ok(run);
            })
            .WithName("IssueInvoices").WithSummary(
                "Raise the on-account invoices of a billing period, one per partner (again: the same invoices).")
            .Produces<InvoiceRunDto>(StatusCodes.Status201Created).Produces<InvoiceRunDto>(StatusCodes.Status200OK)
            .RequireAuthorization(Scopes.BillingWrite);
        service.MapGet("/invoices",
            async (string code, string? period, string? status, int? offset, int? limit, HttpRequest request,
                IMediator mediator, CancellationToken ct) =>
                Csv.OkOrCsv(
                    request,
                    await mediator.Send(new ListServiceInvoices(code, period, status, offset, limit), ct)))
            .WithName("ListServiceInvoices").WithSummary(
                "The service's invoices (a partner sees only its own); status=overdue for those past due.")
            .Produces<InvoiceListDto>(StatusCodes.Status200OK, "application/json", "text/csv")
            .RequireAuthorization(Scopes.StatementsRead);
        service.MapGet("/invoices/{number}",
            async (string code, string number, HttpRequest request, IMediator mediator, CancellationToken ct) =>
            {
                var document = await mediator.Send(new GetInvoice(code, number), ct);
                return WantsPdf(request) ? document.ToPdfResult() : Results.Ok(document);
            })
            .WithName("GetInvoice").WithSummary(
                "One invoice as JSON, or (Accept: application/pdf) the document the host sends.")
            .Produces<InvoiceDocument>(StatusCodes.Status200OK, "application/json", "application/pdf")
            .RequireAuthorization(Scopes.StatementsRead);
        service.MapPost("/invoices/{number}/cancellation", async (string code, string number, [FromHeader(
            Name = "Idempotency-Key")] string? idempotencyKey,
                IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(
                    new CancelInvoice { Service = code, Number = number, IdempotencyKey = idempotencyKey },
                    ct)))
            .WithName("CancelInvoice").WithSummary(
                "Cancel an unpaid invoice: a credit note for its full amount is issued.")
            .RequireAuthorization(Scopes.BillingWrite);
        service.MapPost("/invoices/{number}/payments", async (string code, string number, RecordPayment command,
                [FromHeader(
                    Name = "Idempotency-Key")] string? idempotencyKey, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(
                    command with { Service = code, Number = number, IdempotencyKey = idempotencyKey },
                    ct)))
            .WithName("RecordPayment").WithSummary(
                "Record a payment received against an invoice; over-payment is refused.")
            .RequireAuthorization(Scopes.BillingWrite);

        service.MapGet("/year-end/{financialYear}",
            async (string code, string financialYear, HttpRequest request, IMediator mediator, CancellationToken ct) =>
                Csv.OkOrCsv(request, await mediator.Send(new GetYearEnd(code, financialYear), ct)))
            .WithName("GetYearEnd").WithSummary(
                "The year-end true-up per partner: actual share, invoiced on account, final charge and VAT.")
            .Produces<YearEndDto>(StatusCodes.Status200OK, "application/json", "text/csv")
            .RequireAuthorization(Scopes.StatementsRead);
        service.MapPost("/year-end/{financialYear}", async (string code, string financialYear, [FromHeader(
            Name = "Idempotency-Key")] string? idempotencyKey,
                IMediator mediator, CancellationToken ct) =>
            {
                var issued = await mediator.Send(
                    new IssueYearEnd { Service = code, FinancialYear = financialYear, IdempotencyKey = idempotencyKey },
                    ct);
                return TypedResults.Created($"/api/v1/shared-services/{code}/year-end/{issued.FinancialYear}", issued);
            })
            .WithName("IssueYearEnd").WithSummary(
                "Issue the year's final invoices and credit notes, once, when every month is closed (409 otherwise).")
            .RequireAuthorization(Scopes.BillingWrite);

        api.MapGet("/councils/{code}/invoices",
            async (string code, string? role, string? status, int? offset, int? limit, HttpRequest request,
                IMediator mediator, CancellationToken ct) =>
                Csv.OkOrCsv(
                    request,
                    await mediator.Send(new ListCouncilInvoices(code, role, status, offset, limit), ct)))
            .WithTags("Billing").WithName("ListCouncilInvoices").WithSummary(
                "Invoices a council issued as host and received as partner (role=issued|received).")
            .Produces<InvoiceListDto>(StatusCodes.Status200OK, "application/json", "text/csv")
            .RequireAuthorization(Scopes.StatementsRead);
        return api;
    }

    public static IServiceCollection AddBilling(this IServiceCollection services) =>
        services.AddScoped<BillingReader>().AddScoped<YearEndReader>();

    /// <summary>PDF when the Accept header names application/pdf above JSON.</summary>
    private static bool WantsPdf(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
        && accepted.Any(
            a => a.MediaType.Equals("application/pdf", StringComparison.OrdinalIgnoreCase) && (a.Quality ?? 1) > 0)
        && !accepted.Any(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            && (a.Quality ?? 1) >= accepted.Where(
                p => p.MediaType.Equals("application/pdf", StringComparison.OrdinalIgnoreCase))
                .Max(p => p.Quality ?? 1));
}
