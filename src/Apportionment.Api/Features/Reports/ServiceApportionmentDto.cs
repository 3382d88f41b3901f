using Apportionment.Domain;

namespace Apportionment.Api.Features.Reports;

public sealed record MonthDto(string Month, decimal NetCost, Guid? AgreementId, string? Method);

public sealed record AllocationDto(string Council, decimal Amount, decimal SharePercent);

public sealed record ApportionmentDto(string Service, string Period, decimal NetCost, IReadOnlyList<MonthDto> Months, IReadOnlyList<AllocationDto> Allocations)
{
    public static ApportionmentDto From(ServiceApportionment a) => new(
        a.Service, a.Period.ToString(), a.NetCost,
        a.Months.Select(m => new MonthDto(m.Month.ToString(), m.NetCost, m.AgreementId, m.Method?.ToString().ToLowerInvariant())).ToList(),
        a.Allocations.Select(c => new AllocationDto(c.Council, c.Amount, a.SharePercentOf(c.Council))).ToList());
}
