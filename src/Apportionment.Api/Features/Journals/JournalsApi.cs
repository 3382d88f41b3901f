using System.ComponentModel;
using Apportionment.Api.Features.Ledger;
using Apportionment.Api.Infrastructure.Http;
using Apportionment.Api.Infrastructure.Security;
using Apportionment.Api.Infrastructure.Validation;
using Mediator;

namespace Apportionment.Api.Features.Journals;

/// <summary>
/// A council's own ledger: its codes for the shared services, journals out in its ERP's layout, GL extracts in.
/// </summary>
public static class JournalsApi
{
    public static RouteGroupBuilder MapJournals(this RouteGroupBuilder api)
    {
        var council = api.MapGroup("/councils/{code}").WithTags("Journals");
        council.MapPut("/ledger-codes", async (string code, PutLedgerCodes command,
                [Microsoft.AspNetCore.Mvc.FromHeader(
                    Name = "Idempotency-Key")] string? idempotencyKey, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(
                    await mediator.Send(command with { Council = code, IdempotencyKey = idempotencyKey }, ct)))
            .WithName("PutLedgerCodes")
            .WithSummary("Set the council's ledger codes for its shared services from a month (a new version; the same "
                + "codes again change nothing).")
            .RequireAuthorization(Scopes.LedgerWrite);
        council.MapGet("/ledger-codes", async (string code, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetLedgerCodes(code), ct)))
            .WithName("GetLedgerCodes").WithSummary(
                "Every version of the council's ledger codes, oldest effective month first.")
            .RequireAuthorization(Scopes.StatementsRead);
        council.MapGet("/journals/{period}", async (string code, string period,
                [Description(
                    "generic (default), oracle-fbdi, d365, sage-intacct, sap or unit4; see "
                        + "docs/journals.md.")] string? format,
                [Description("true for months not yet closed: every line is marked PROVISIONAL. Without it, an open "
                    + "month is refused (409).")] string? provisional,
                [Description(
                    "false leaves out the CSV header row, for an import that takes none (Oracle's "
                        + "FBDI).")] string? header,
                HttpRequest request, IMediator mediator, CancellationToken ct) =>
            {
                var file = await mediator.Send(new GetJournal(code, period, format, provisional, header), ct);
                return file.Format is GenericFormat && !Csv.Wanted(request)
                    ? Results.Ok(JournalDto.From(file.Document.Journal))
                    : file.ToResult();
            })
            .WithName("GetJournal")
            .WithSummary("The council's balanced journal for a month, quarter or year, in a generic layout (JSON, or "
                + "CSV with Accept: text/csv) or an ERP's import layout (CSV).")
            .Produces<JournalDto>(StatusCodes.Status200OK, "application/json", "text/csv")
            .RequireAuthorization(Scopes.StatementsRead);
        council.MapPostGlExtract();
        return api;
    }
}
