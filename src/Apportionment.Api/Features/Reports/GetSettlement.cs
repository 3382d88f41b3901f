namespace Apportionment.Api.Features.Reports;

public sealed record TransferDto(string From, string To, decimal Amount);

public sealed record SettlementDto(
    string Service,
    string Period,
    string Model,
    IReadOnlyList<TransferDto> Transfers) : ICsvExport
{
    /// <summary>One row per transfer.</summary>
    public CsvFile ToCsv()
    {
        var csv = new CsvFile(
            $"settlement-{Service}-{Period}.csv",
            "service",
            "period",
            "model",
            "from",
            "to",
            "amount");
        foreach (var t in Transfers)
        {
            csv.Row(Service, Period, Model, t.From, t.To, t.Amount);
        }

        return csv;
    }
}

/// <summary>
/// The payments that leave every council bearing exactly its share. host (default): each partner settles with the
/// host, as hosted partnerships recharge; netting: the fewest transfers.
/// </summary>
public sealed record GetSettlement(string Service, string Period, string? Model) : IQuery<SettlementDto>;

public sealed class GetSettlementHandler(
    [ReadDb] ApportionmentDb db,
    Caller caller,
    LedgerReader ledger) : IQueryHandler<GetSettlement, SettlementDto>
{
    public async ValueTask<SettlementDto> Handle(GetSettlement query, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(query.Service, caller, cancellationToken);
        var l = (await ledger.ReadAsync([service.Code], Period.Parse(query.Period), cancellationToken))[0];
        var model = query.Model == "netting" ? SettlementModel.Netting : SettlementModel.Host;
        var shares = l.Apportionment.Allocations.ToDictionary(a => a.Council, a => a.Amount, StringComparer.Ordinal);

        // Overheads received less overheads passed on are settled between the hosts of the services concerned: here the
        // host stands for them, as if it had paid that part, so every partner still ends at exactly its share.
        var paid = new Dictionary<string, decimal>(l.Paid, StringComparer.Ordinal);
        paid[service.HostCouncil] = paid.GetValueOrDefault(service.HostCouncil) + l.Overheads.Received
            - l.Overheads.PassedOn;
        // Money already paid to the host against invoices of the period has settled that much of the partner's share.
        foreach (var (partner, settled) in await InvoiceFigures.NetPaidAsync(
            db,
            service.Code,
            l.Apportionment.Period,
            cancellationToken))
        {
            paid[partner] = paid.GetValueOrDefault(partner) + settled;
            paid[service.HostCouncil] -= settled;
        }

        var transfers = Settlement.Settle(model, service.HostCouncil, shares, paid);
        return new SettlementDto(service.Code, l.Apportionment.Period.ToString(), model.ToString().ToLowerInvariant(),
            transfers.Select(t => new TransferDto(t.From, t.To, t.Amount)).ToList());
    }
}

public static class GetSettlementEndpoint
{
    public static void MapGetSettlement(this RouteGroupBuilder reports) =>
        reports.MapGet("/shared-services/{code}/settlements/{period}",
            async (string code, string period, string? model, HttpRequest request, IMediator mediator,
                CancellationToken ct) =>
                Csv.OkOrCsv(request, await mediator.Send(new GetSettlement(code, period, model), ct)))
            .WithName("GetSettlement").WithSummary(
                "Transfers that settle the service for a period (model=host|netting).")
            .Produces<SettlementDto>(StatusCodes.Status200OK, "application/json", "text/csv")
            .RequireAuthorization(Scopes.StatementsRead);
}
