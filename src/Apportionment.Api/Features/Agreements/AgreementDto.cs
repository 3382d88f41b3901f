namespace Apportionment.Api.Features.Agreements;

public sealed record ShareDto(string Council, decimal Percent);

/// <summary>A service a support agreement recharges to; percent only for a fixed split.</summary>
public sealed record SupportDto(string Service, decimal? Percent = null);

/// <summary>
/// One council's approval: who gave it (key name, or issuer#subject for a person) and the person's name if known.
/// </summary>
public sealed record ApprovalDto(
    string Council,
    DateTimeOffset ApprovedAt,
    string? ApprovedBy = null,
    string? ApprovedByName = null);

public sealed record AgreementDto(
    Guid Id, string Service, string EffectiveFrom, string Method, IReadOnlyList<string> Councils,
    IReadOnlyList<ShareDto>? Shares,
    string? Driver, IReadOnlyList<SupportDto>? Supports, string Status, IReadOnlyList<ApprovalDto> Approvals,
    IReadOnlyList<string> AwaitingApproval,
    DateTimeOffset ProposedAt, DateTimeOffset? AgreedAt, DateTimeOffset? WithdrawnAt, uint Version)
{
    public string ETag => $"\"{Version}\"";

    public static AgreementDto From(SplitAgreement a) => new(
        a.Id, a.ServiceCode, a.EffectiveFrom.ToMonthText(), a.Method, a.Councils,
        a.Shares.Count == 0 ? null : a.Shares.OrderBy(s => s.Council, StringComparer.Ordinal)
            .Select(s => new ShareDto(s.Council, s.Percent))
            .ToList(),
        a.Driver,
        a.IsSupport
            ? a.Supports.Select(s => new SupportDto(s, a.SupportPercents?.GetValueOrDefault(s))).ToList()
            : null,
        a.Status,
        a.Approvals.OrderBy(x => x.ApprovedAt)
            .Select(x => new ApprovalDto(x.Council, x.ApprovedAt, x.ApprovedBy, x.ApprovedByName))
            .ToList(),
        a.Status == AgreementStatus.Proposed
            ? a.Approvers.Where(c => a.Approvals.All(x => x.Council != c)).ToList()
            : [],
        a.ProposedAt, a.AgreedAt, a.WithdrawnAt, a.Version);
}
