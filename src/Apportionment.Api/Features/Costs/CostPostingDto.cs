using Apportionment.Api.Features.Shared;
using Apportionment.Api.Infrastructure.Persistence;

namespace Apportionment.Api.Features.Costs;

public sealed record CostPostingDto(
    Guid Id, string Service, string Month, decimal Amount, string Category, string PaidBy, string? Reference, string? Description,
    Guid? ReversalOf, string? ReversalReason, Guid? ReversedBy, DateTimeOffset PostedAt)
{
    public static CostPostingDto From(CostPosting p, Guid? reversedBy = null) => new(
        p.Id, p.ServiceCode, p.Month.ToMonthText(), p.Amount, p.Category, p.PaidBy, p.Reference, p.Description,
        p.ReversalOf, p.ReversalReason, reversedBy, p.PostedAt);
}
