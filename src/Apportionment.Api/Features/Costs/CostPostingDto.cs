using System.Globalization;

namespace Apportionment.Api.Features.Costs;

public sealed record CostPostingDto(
    Guid Id, string Service, string Month, decimal Amount, string Category, string PaidBy, string? Reference,
    string? Description,
    Guid? ReversalOf, string? ReversalReason, Guid? ReversedBy, DateTimeOffset PostedAt)
{
    public static CostPostingDto From(CostPosting p, Guid? reversedBy = null) => new(
        p.Id, p.ServiceCode, p.Month.ToMonthText(), p.Amount, p.Category, p.PaidBy, p.Reference, p.Description,
        p.ReversalOf, p.ReversalReason, reversedBy, p.PostedAt);

    /// <summary>
    /// The ledger behind a statement as a spreadsheet: one row per posting, then a TOTAL row of the net cost.
    /// </summary>
    public static CsvFile Ledger(string service, string? period, IReadOnlyList<CostPostingDto> postings)
    {
        var csv = new CsvFile($"costs-{service}{(period is null ? "" : "-" + period)}.csv",
            "id", "service", "month", "amount", "category", "paidBy", "reference", "description", "reversalOf",
            "reversalReason", "reversedBy", "postedAt");
        foreach (var p in postings)
        {
            csv.Row(p.Id.ToString(), p.Service, p.Month, p.Amount, p.Category, p.PaidBy, p.Reference, p.Description,
                p.ReversalOf?.ToString(), p.ReversalReason, p.ReversedBy?.ToString(), p.PostedAt
                    .ToString("O", CultureInfo.InvariantCulture));
        }

        return csv.Row("TOTAL", service, period, postings.Sum(p => p.Amount));
    }
}
