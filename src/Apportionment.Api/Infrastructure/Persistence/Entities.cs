namespace Apportionment.Api.Infrastructure.Persistence;

// Persistence shapes only: the arithmetic lives in Apportionment.Domain.
// Months are stored as the first day of the month (PostgreSQL `date`) so SQL stays readable.

public sealed class Council
{
    public required string Code { get; init; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed class SharedService
{
    public required string Code { get; init; }
    public required string Name { get; set; }
    public required string HostCouncil { get; init; }
    public DateOnly StartMonth { get; init; }
    public DateOnly? EndMonth { get; set; }
    public string? Description { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public List<ServiceMember> Members { get; init; } = [];
}

public sealed class ServiceMember
{
    public required string ServiceCode { get; init; }
    public required string Council { get; init; }
    public DateTimeOffset JoinedAt { get; init; }
}

public sealed class SplitAgreement
{
    public Guid Id { get; init; }
    public required string ServiceCode { get; init; }
    public DateOnly EffectiveFrom { get; init; }
    public required string Method { get; init; }
    public string? Driver { get; init; }
    /// <summary>Every council the agreement names, ordinal order: each must approve.</summary>
    public required string[] Councils { get; init; }
    public List<AgreementShare> Shares { get; init; } = [];
    /// <summary>
    /// Support agreements only: the services this support service's cost is recharged to, ordinal order.
    /// </summary>
    public string[] Supports { get; init; } = [];
    /// <summary>Support agreements with a fixed split: each supported service's percentage.</summary>
    public Dictionary<string, decimal>? SupportPercents { get; init; }
    /// <summary>
    /// Support agreements only: every member council of the support service, each of which must approve.
    /// </summary>
    public string[]? ApprovingCouncils { get; init; }
    public List<AgreementApproval> Approvals { get; init; } = [];
    public required string Status { get; set; }
    public DateTimeOffset ProposedAt { get; init; }
    public DateTimeOffset? AgreedAt { get; set; }
    public DateTimeOffset? WithdrawnAt { get; set; }
    /// <summary>PostgreSQL xmin: the ETag clients send back in If-Match.</summary>
    public uint Version { get; set; }

    public bool IsSupport => Supports.Length > 0;

    /// <summary>
    /// Who must approve: the councils a split names, or for a support agreement every member of the support service.
    /// </summary>
    public string[] Approvers => ApprovingCouncils ?? Councils;
}

public sealed class AgreementShare
{
    public Guid AgreementId { get; init; }
    public required string Council { get; init; }
    public decimal Percent { get; init; }
}

public sealed class AgreementApproval
{
    public Guid AgreementId { get; init; }
    public required string Council { get; init; }
    public DateTimeOffset ApprovedAt { get; init; }
    public Guid? ApprovedByKey { get; init; }

    /// <summary>
    /// Who approved: the key's name, or a person's issuer#subject when they signed in with their council's account.
    /// </summary>
    public string? ApprovedBy { get; init; }

    /// <summary>The person's name as their identity provider gave it (the name claim), if it did.</summary>
    public string? ApprovedByName { get; init; }
}

/// <summary>
/// One return of activity figures for a driver and month; a later return supersedes it, history is kept.
/// </summary>
public sealed class ActivityReturn
{
    public long Id { get; init; }
    public required string ServiceCode { get; init; }
    public DateOnly Month { get; init; }
    public required string Driver { get; init; }
    public required Dictionary<string, decimal> Quantities { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
}

/// <summary>An append-only ledger line. Never updated or deleted: corrections are reversals.</summary>
public sealed class CostPosting
{
    public Guid Id { get; init; }
    public required string ServiceCode { get; init; }
    public DateOnly Month { get; init; }
    public decimal Amount { get; init; }
    public required string Category { get; init; }
    public required string PaidBy { get; init; }
    public string? Reference { get; init; }
    public string? Description { get; init; }
    public Guid? ReversalOf { get; init; }
    public string? ReversalReason { get; init; }
    /// <summary>The cost batch that brought this line in, if it came in bulk.</summary>
    public Guid? BatchId { get; init; }
    public DateTimeOffset PostedAt { get; init; }
    public Guid? PostedByKey { get; init; }
}

/// <summary>Per (service, month, payer) totals kept by a database trigger, so reads never scan postings.</summary>
public sealed class CostTotal
{
    public required string ServiceCode { get; init; }
    public DateOnly Month { get; init; }
    public required string PaidBy { get; init; }
    public decimal Amount { get; init; }
    public long Postings { get; init; }
}

public sealed class CouncilBaseline
{
    public required string ServiceCode { get; init; }
    public required string Council { get; init; }
    public decimal AnnualCost { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class ClosedMonth
{
    public required string ServiceCode { get; init; }
    public DateOnly Month { get; init; }
    public DateTimeOffset ClosedAt { get; init; }
    public Guid? ClosedByKey { get; init; }
    /// <summary>
    /// The service's name when the month closed, as its statements show it whatever it is called later.
    /// </summary>
    public string? ServiceName { get; init; }
}

public sealed class ApiKey
{
    public Guid Id { get; init; }
    public required string Name { get; init; }
    public string? Council { get; init; }
    public required string[] Scopes { get; init; }
    /// <summary>SHA-256 of the secret; the secret itself is never stored.</summary>
    public required byte[] SecretHash { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateOnly? ExpiresOn { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>Who changed what. The table refuses UPDATE and DELETE (trigger), whatever the role.</summary>
public sealed class AuditEvent
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }
    public Guid? KeyId { get; init; }
    public required string KeyName { get; init; }

    /// <summary>
    /// For a person signed in with their council's account: the name claim their identity provider gave.
    /// </summary>
    public string? PersonName { get; init; }

    public string? Council { get; init; }
    public required string Operation { get; init; }
    public required string Entity { get; init; }
    public required string EntityId { get; init; }
    public required string Body { get; init; }
}

/// <summary>The stored answer to a write sent with an Idempotency-Key, replayed for retries.</summary>
public sealed class IdempotencyRecord
{
    public required string ClientId { get; init; }
    public required string Key { get; init; }
    public required string Operation { get; init; }
    public required string RequestHash { get; init; }
    public string? Response { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}
