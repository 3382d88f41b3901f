using Apportionment.Api.Infrastructure.Documents;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Pipeline;
using Apportionment.Api.Infrastructure.Security;
using Apportionment.Domain;
using Mediator;

namespace Apportionment.Api.Features.Partnerships;

/// <summary>
/// A shared service's year for its joint committee: every section from the same ledger as the statements.
/// </summary>
public sealed record GetReviewPack(string Service, string FinancialYear) : IQuery<ReviewPackDto>;

public sealed class GetReviewPackValidator : IValidator<GetReviewPack>
{
    public void Validate(GetReviewPack request, ValidationErrors errors)
    {
        if (IndicatorRules.FinancialYear(request.FinancialYear) is null)
        {
            errors.Add("financialYear", "Must be a financial year like 2025-26.");
        }
    }
}

/// <summary>
/// A council sees the packs of its own partnerships only (404 for any other, as for an unknown code).
/// </summary>
public sealed class GetReviewPackHandler(
    ApportionmentDb db,
    Caller caller,
    ReviewPackReader reader) : IQueryHandler<GetReviewPack, ReviewPackDto>
{
    public async ValueTask<ReviewPackDto> Handle(GetReviewPack query, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(query.Service, caller, cancellationToken);
        return await reader.ReadAsync(service, IndicatorRules.FinancialYear(query.FinancialYear)!, cancellationToken);
    }
}

public static class GetReviewPackEndpoint
{
    public const string Pdf = "application/pdf";

    public static void MapReviewPack(this RouteGroupBuilder service) =>
        service.MapGet("/review/{financialYear}",
            async (string code, string financialYear, HttpRequest request, IMediator mediator, CancellationToken ct) =>
            {
                // Choose first, so a request for a format not offered is answered as JSON rather than after the work.
                var format = Csv.Negotiate(request, ReportFormat.Pdf, ReportFormat.Xlsx);
                var pack = await mediator.Send(new GetReviewPack(code, financialYear), ct);
                var name = $"review-{pack.Service}-{pack.FinancialYear}";
                return format switch
                {
                    ReportFormat.Pdf => TypedResults.File(ReviewPackPdf.Write(pack), Pdf, name + ".pdf"),
                    ReportFormat.Xlsx => new XlsxResult(ReviewPackSheets.For(pack), name + ".xlsx"),
                    _ => (IResult)TypedResults.Ok(pack),
                };
            })
            .WithName("GetReviewPack")
            .WithSummary("The partnership's review pack for a financial year, as JSON, PDF (Accept: application/pdf) "
                + "or Excel (Accept: …spreadsheetml.sheet).")
            .Produces<ReviewPackDto>(StatusCodes.Status200OK, "application/json", Pdf, Workbook.ContentType)
            .RequireAuthorization(Scopes.StatementsRead);
}
