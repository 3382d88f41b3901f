namespace Apportionment.Api.Features.Reports;

public sealed record MonthDto(string Month, decimal NetCost, Guid? AgreementId, string? Method);

public sealed record AllocationDto(string Council, decimal Amount, decimal SharePercent);

public sealed record OverheadAmountDto(string Service, decimal Amount);

/// <summary>
/// netCost is what the councils bear: directCost + overheadsReceived − overheadsPassedOn. Without overheads it is the
/// service's own net cost; a support service that recharges all of its cost to other services bears nothing itself.
/// </summary>
public sealed record ApportionmentDto(
    string Service, string Period, decimal NetCost, IReadOnlyList<MonthDto> Months,
    IReadOnlyList<AllocationDto> Allocations,
    decimal DirectCost, IReadOnlyList<OverheadAmountDto> OverheadsReceived,
    IReadOnlyList<OverheadAmountDto> OverheadsPassedOn, decimal PassedOn, decimal Total)
    : ICsvExport
{
    public static ApportionmentDto From(ServiceOverheads o)
    {
        var a = o.Apportionment;
        return new(
            a.Service, a.Period.ToString(), a.NetCost,
            a.Months.Select(
                m => new MonthDto(m.Month.ToString(), m.NetCost, m.AgreementId,
                    m.Method?.ToString().ToLowerInvariant())).ToList(),
            a.Allocations.Select(c => new AllocationDto(c.Council, c.Amount, a.SharePercentOf(c.Council))).ToList(),
            o.DirectCost,
            o.ReceivedFrom.Select(r => new OverheadAmountDto(r.Key, r.Value)).ToList(),
            o.PassedOnTo.Select(r => new OverheadAmountDto(r.Key, r.Value)).ToList(),
            o.PassedOn,
            o.Total);
    }

    /// <summary>
    /// One row per council, then a TOTAL row; with overheads, the path of the pounds below it (direct + received −
    /// passed on = TOTAL).
    /// </summary>
    public CsvFile ToCsv()
    {
        var csv = new CsvFile(
            $"apportionment-{Service}-{Period}.csv",
            "service",
            "period",
            "council",
            "amount",
            "sharePercent");
        foreach (var a in Allocations)
        {
            csv.Row(Service, Period, a.Council, a.Amount, CsvCell.Number(a.SharePercent));
        }

        csv.Row(Service, Period, "TOTAL", NetCost, CsvCell.Number(NetCost == 0 ? 0 : 100));
        if (OverheadsReceived.Count > 0 || OverheadsPassedOn.Count > 0)
        {
            csv.Row(Service, Period, "DIRECT", DirectCost, CsvCell.Empty);
            foreach (var r in OverheadsReceived)
            {
                csv.Row(Service, Period, $"RECEIVED FROM {r.Service}", r.Amount, CsvCell.Empty);
            }

            foreach (var r in OverheadsPassedOn)
            {
                csv.Row(Service, Period, $"PASSED ON TO {r.Service}", -r.Amount, CsvCell.Empty);
            }
        }

        return csv;
    }
}
