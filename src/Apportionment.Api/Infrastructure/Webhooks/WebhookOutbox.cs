using System.Text.Json;
using Apportionment.Api.Features.Agreements;
using Microsoft.Extensions.Options;

namespace Apportionment.Api.Infrastructure.Webhooks;

/// <summary>The events a subscription may ask for. Names are part of the contract: never rename one.</summary>
public static class WebhookEventTypes
{
    public const string AgreementProposed = "agreement.proposed";
    public const string AgreementApproved = "agreement.approved";
    public const string AgreementAgreed = "agreement.agreed";
    public const string AgreementWithdrawn = "agreement.withdrawn";
    public const string PeriodClosed = "period.closed";
    public const string CostBatchAccepted = "cost-batch.accepted";
    public const string PartnershipReviewDue = "partnership.review-due";
    public const string JournalReady = "journal.ready";
    public const string InvoiceIssued = "invoice.issued";
    public const string InvoicePaid = "invoice.paid";
    public const string YearEndIssued = "year-end.issued";

    public static readonly IReadOnlyList<string> All =
        [AgreementProposed, AgreementApproved, AgreementAgreed, AgreementWithdrawn, PeriodClosed, CostBatchAccepted,
            PartnershipReviewDue, JournalReady, InvoiceIssued, InvoicePaid, YearEndIssued];
}

public sealed record AgreementEventData(
    string Service,
    Guid AgreementId,
    string EffectiveFrom,
    string Method,
    IReadOnlyList<string> Councils,
    string Status,
    string? ApprovedBy,
    string Href);

public sealed record StatementLink(string Council, string Href);

public sealed record PeriodClosedData(
    string Service,
    string Month,
    DateTimeOffset ClosedAt,
    string Apportionment,
    string Settlement,
    IReadOnlyList<StatementLink> Statements);

public sealed record PartnershipReviewDueData(
    string Service,
    DateOnly NextReview,
    DateOnly? AgreementEnd,
    string Governance,
    string ReviewPack);

public sealed record CostBatchAcceptedData(
    Guid BatchId,
    string Service,
    int Lines,
    decimal Amount,
    DateTimeOffset PostedAt,
    string Costs);

/// <summary>A council's journal of a month whose figures of one of its services are now final.</summary>
public sealed record JournalReadyData(
    string Council,
    string Service,
    string Month,
    DateTimeOffset ClosedAt,
    string Journal,
    string LedgerCodes);

/// <summary>
/// Writes an event into the outbox inside the caller's transaction — the Mediator TransactionBehaviour's — with one
/// delivery per live subscription of a council that belongs to the service (and wants that type). If the change rolls
/// back, so does its event; if it commits, the dispatcher will send it.
/// </summary>
public sealed class WebhookOutbox(
    ApportionmentDb db,
    TimeProvider clock,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    /// <summary>
    /// To every council that must approve the agreement: those a split names, or for a support agreement every member
    /// of the support service and of every service it supports (who bear its cost without belonging to it).
    /// </summary>
    public Task AgreementAsync(string type, SplitAgreement a, CancellationToken ct, string? approvedBy = null) =>
        EnqueueAsync(type, a.ServiceCode, a.Approvers, new AgreementEventData(
            a.ServiceCode, a.Id, a.EffectiveFrom.ToMonthText(), a.Method, a.Councils, a.Status, approvedBy,
            $"/api/v1/shared-services/{a.ServiceCode}/agreements/{a.Id}"), ct);

    public Task PeriodClosedAsync(SharedService service, string month, DateTimeOffset closedAt, CancellationToken ct) =>
        EnqueueAsync(WebhookEventTypes.PeriodClosed, service.Code, null, new PeriodClosedData(
            service.Code, month, closedAt,
            $"/api/v1/shared-services/{service.Code}/apportionments/{month}",
            $"/api/v1/shared-services/{service.Code}/settlements/{month}",
            service.Members.Select(m => m.Council).Order(StringComparer.Ordinal)
                .Select(c => new StatementLink(c, $"/api/v1/councils/{c}/recharge-statements/{month}")).ToList()), ct);

    /// <summary>One event per member council, to that council only: its own journal of the month.</summary>
    public async Task JournalReadyAsync(
        SharedService service,
        string month,
        DateTimeOffset closedAt,
        CancellationToken ct)
    {
        foreach (var council in service.Members.Select(m => m.Council).Order(StringComparer.Ordinal))
        {
            await EnqueueAsync(WebhookEventTypes.JournalReady, service
                .Code, [council], new JournalReadyData(council, service.Code, month, closedAt,
                $"/api/v1/councils/{council}/journals/{month}", $"/api/v1/councils/{council}/ledger-codes"), ct);
        }
    }

    public Task CostBatchAcceptedAsync(
        Guid batchId,
        string service,
        int lines,
        decimal amount,
        DateTimeOffset postedAt,
        CancellationToken ct) =>
        EnqueueAsync(WebhookEventTypes.CostBatchAccepted, service, null,
            new CostBatchAcceptedData(
                batchId,
                service,
                lines,
                amount,
                postedAt,
                $"/api/v1/shared-services/{service}/costs"), ct);

    /// <summary>To every member: the partnership's review falls within the register's six-month window.</summary>
    public Task PartnershipReviewDueAsync(
        string service,
        DateOnly nextReview,
        DateOnly? agreementEnd,
        string reviewYear,
        CancellationToken ct) =>
        EnqueueAsync(WebhookEventTypes
            .PartnershipReviewDue, service, null, new PartnershipReviewDueData(service, nextReview, agreementEnd,
            $"/api/v1/shared-services/{service}/governance", $"/api/v1/shared-services/{service}/review/{reviewYear}"),
            ct);

    /// <summary>
    /// A billing event to the councils concerned (the host and the partner billed), if they belong to the service.
    /// </summary>
    public Task BillingAsync<T>(
        string type,
        string service,
        IReadOnlyCollection<string> councils,
        T data,
        CancellationToken ct) =>
        EnqueueAsync(type, service, councils, data, ct);

    /// <summary>
    /// One statement: the event row and its deliveries, to members of the service, or only to the councils named.
    /// </summary>
    private async Task EnqueueAsync<T>(
        string type,
        string service,
        IReadOnlyCollection<string>? councils,
        T data,
        CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var occurredAt = clock.GetUtcNow();
        var body = JsonSerializer.Serialize(
            new WebhookMessage<T>(type, id, occurredAt, data),
            json.Value.SerializerOptions);
        var only = councils?.ToArray() ?? [];
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            with e as (
                insert into webhook_events (id, type, service_code, occurred_at, body) values ({id}, {type}, {service},
                    {occurredAt}, {body}) returning id)
            insert into webhook_deliveries (id, event_id, subscription_id, status, attempts, round_start,
                next_attempt_at, created_at)
            select gen_random_uuid(), e.id, s.id, 'pending', 0, 0, now(), now()
            from e cross join webhook_subscriptions s
            where s.deleted_at is null and {type} = any(s.events)
              and (s.council = any({only})
                   or cardinality({only}) = 0 and exists (select 1 from service_members m where m.service_code =
                       {service} and m.council = s.council))
            """, ct);
    }
}

/// <summary>The body every receiver gets: a stable type and id, when it happened, and the event's data.</summary>
public sealed record WebhookMessage<T>(string Type, Guid Id, DateTimeOffset OccurredAt, T Data);
