using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Apportionment.Api.Infrastructure.OpenApi;

/// <summary>
/// Title, description, servers, tags and the shared components. Each partnership runs its own deployment, so the one
/// server is relative: the host serving this document (Swagger UI and same-origin clients need nothing set); generated
/// clients take the deployment's address from their caller.
/// </summary>
public sealed class DocumentInfoTransformer : IOpenApiDocumentTransformer
{
    private const string Description = """
    Lets councils that share services (a hosted building control, waste or ICT partnership) agree how the costs are
    split and recharge each other to the penny.

    * **Councils** and **shared services**: a host council runs a service for its member councils.
    * **Split agreements**: fixed percentages, equal shares, or shares by an activity driver (surveyor hours, cases),
      effective from a month, in force once every council named has approved.
    * **Costs**: the host (or a member that paid directly) posts each month's costs to an append-only ledger;
      corrections are reversals. A closed month never changes.
    * **Apportionments and statements**: each council's share for a month, a financial-year quarter (2024-25-Q1)
      or a financial year (2024-25, April to March), its recharge statement, the settling transfers, and the savings
      against what it spent alone.

    Amounts are GBP with two decimal places, sent and returned as JSON numbers. Every request needs an API key in
    the `X-Api-Key` header or a bearer token from a council's own identity provider (`Authorization: Bearer`);
    each operation names the scope it needs. Errors are RFC 9457 problem+json.
    Writes that accept an `Idempotency-Key` header can be retried safely.
    """;

    private static readonly (string Name, string Description)[] Tags =
    [
        ("System", "The service's version."),
        ("Councils", "Principal authorities taking part, each known by a short code (e.g. MDDC)."),
        ("Shared services", "Services a host council runs for its member councils."),
        ("Split agreements", "How a service's costs are split from a month on; in force once every council named "
            + "approves."),
        ("Activity", "Monthly activity figures per council for driver-based splits."),
        ("Costs", "The service's append-only cost ledger."),
        ("Periods", "Open and closed months: a closed month's figures have been issued and cannot change."),
        ("Apportionments and statements", "Each council's share, recharge statements, settlements and savings."),
        ("API keys", "Keys for councils' finance systems and officers, each with only the scopes it needs."),
        ("Audit", "Who changed what, and when."),
        ("Budgets", "Each year's budget, its reduction target, monitoring against it, and what a proposed split would "
            + "cost each council."),
        ("Webhooks", "Signed events pushed to a council's own endpoints, with the delivery log."),
        ("Billing", "Billing terms, invoices on account with VAT, payments and the year-end true-up."),
        ("Journals", "Each council's own ledger codes, balanced journals for its ERP, and GL extracts posted in."),
        ("Partnership review", "Performance indicators, the governance register and the committee's review pack."),
    ];

    public Task TransformAsync(
        OpenApiDocument document,
        OpenApiDocumentTransformerContext context,
        CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Apportionment API",
            Version = context.DocumentName,
            Description = Description
        };
        document.Servers =
        [
            new OpenApiServer {
                Url = "/",
                Description = "The deployment serving this document (each partnership runs its own)." },
        ];
        // Described tags first, in the order a council meets them; any tag not described here still appears.
        var used = document.Tags?.Select(t => t.Name).OfType<string>().ToList() ?? [];
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(
            t => new OpenApiTag { Name = t.Name, Description = t.Description })
            .Concat(used.Where(u => Tags.All(t => t.Name != u)).Order(StringComparer.Ordinal)
                .Select(u => new OpenApiTag { Name = u })));
        SecurityTransformer.AddSchemeTo(document);
        ProblemComponents.AddTo(document);
        return Task.CompletedTask;
    }
}
