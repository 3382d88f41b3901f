using Apportionment.Api.Features.Shared;
using Apportionment.Domain;

namespace Apportionment.Api.Features.Reports;

public sealed record MonthDto(string Month, decimal NetCost, Guid? AgreementId, string? Method);

public sealed record AllocationDto(string Council, decimal Amount, decimal SharePercent);

public sealed record ApportionmentDto(string Service, string Period, decimal NetCost, IReadOnlyList<MonthDto> Months, IReadOnlyList<AllocationDto> Allocations)
    : ICsvExport
{
    public static ApportionmentDto From(ServiceApportionment a) => new(
        a.Service, a.Period.ToString(), a.NetCost,
        a.Months.Select(m => new MonthDto(m.Month.ToString(), m.NetCost, m.AgreementId, m.Method?.ToString().ToLowerInvariant())).ToList(),
        a.Allocations.Select(c => new AllocationDto(c.Council, c.Amount, a.SharePercentOf(c.Council))).ToList());

    /// <summary>One row per council, then a TOTAL row.</summary>
    public CsvFile ToCsv()
    {
        var csv = new CsvFile($"apportionment-{Service}-{Period}.csv", "service", "period", "council", "amount", "sharePercent");
        foreach (var a in Allocations)
        {
            csv.Row(Service, Period, a.Council, a.Amount, CsvCell.Number(a.SharePercent));
        }

        return csv.Row(Service, Period, "TOTAL", NetCost, CsvCell.Number(NetCost == 0 ? 0 : 100));
    }
}
