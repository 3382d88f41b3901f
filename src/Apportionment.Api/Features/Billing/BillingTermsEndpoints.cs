using System.Text.Json.Serialization;
using Apportionment.Api.Features.Ledger;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Http;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Pipeline;
using Apportionment.Api.Infrastructure.Security;
using Apportionment.Api.Infrastructure.Validation;
using Apportionment.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Features.Billing;

/// <summary>
/// Sets how the host bills the service's partners. vatTreatment may be left out: the legal basis's default applies.
/// An estimate basis names each council's estimated percentage; tolerancePercent (percentage points) applies to it.
/// </summary>
public sealed record PutBillingTerms(
    string? LegalBasis, string? VatTreatment, string? Mode, string? Schedule, string? Basis,
    IReadOnlyList<EstimateShareDto?>? Estimate, int? PaymentTermsDays, decimal? TolerancePercent)
    : ICommand<BillingTermsDto>, IAudited<BillingTermsDto>, IIdempotent
{
    [JsonIgnore] public string Service { get; init; } = "";
    [JsonIgnore] public string? IdempotencyKey { get; init; }
    [JsonIgnore] public string AuditEntity => "billing-terms";
    public string AuditEntityId(BillingTermsDto response) => response.Service;
}

public sealed class PutBillingTermsValidator : IValidator<PutBillingTerms>
{
    public void Validate(PutBillingTerms r, ValidationErrors errors)
    {
        errors.OneOf("legalBasis", r.LegalBasis, BillingWords.LegalBases);
        errors.OneOf("vatTreatment", r.VatTreatment, BillingWords.VatTreatments, required: false);
        errors.OneOf("mode", r.Mode, BillingWords.Modes);
        errors.OneOf("schedule", r.Schedule, BillingWords.Schedules);
        errors.OneOf("basis", r.Basis, BillingWords.Bases);
        if (r.PaymentTermsDays is not (>= 0 and <= 365))
        {
            errors.Add("paymentTermsDays", "Is required: 0 to 365 days.");
        }

        if (r.TolerancePercent is { } t && (t < 0m || t > 100m || decimal.Round(t, 2) != t))
        {
            errors.Add("tolerancePercent", "Must be 0 to 100 percentage points, with at most two decimal places.");
        }

        if (r.Basis == "estimate")
        {
            if (errors.NoNullElements("estimate", r.Estimate) && r.Estimate is { Count: > 0 } estimate)
            {
                errors.AddRange(SplitRule.Validate(
                    SplitMethod.Fixed,
                    estimate.Select(e => new CouncilShare(e!.Council, e.Percent)).ToList(),
                    null,
                    null)
                    .ToDictionary(e => "estimate" + e.Key["shares".Length..], e => e.Value));
            }
            else if (r.Estimate is not { Count: > 0 })
            {
                errors.Add(
                    "estimate",
                    "An estimate basis needs each council's estimated percentage, adding up to 100.");
            }
        }
        else if (r.Estimate is { Count: > 0 } || r.TolerancePercent is not null)
        {
            errors.Add(
                r.TolerancePercent is null ? "estimate" : "tolerancePercent",
                "Applies only to an estimate basis.");
        }
    }
}

public sealed class PutBillingTermsHandler(
    ApportionmentDb db,
    Caller caller,
    TimeProvider clock) : ICommandHandler<PutBillingTerms, BillingTermsDto>
{
    public async ValueTask<BillingTermsDto> Handle(PutBillingTerms command, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(command.Service, caller, cancellationToken);
        caller.EnsureActsFor(service.HostCouncil, "set billing terms (only the host council may)");
        var members = service.Members.Select(m => m.Council).ToHashSet(StringComparer.Ordinal);
        var strangers = command.Estimate?.Select(e => e!.Council).Where(c => !members.Contains(c)).ToList() ?? [];
        if (strangers.Count > 0)
        {
            throw RequestValidationException.For(
                "estimate",
                $"Not members of '{service.Code}': {string.Join(", ", strangers)}.");
        }

        var terms = await db.BillingTerms.SingleOrDefaultAsync(t => t.ServiceCode == service.Code, cancellationToken);
        if (terms is null)
        {
            terms = new BillingTerms
            {
                ServiceCode = service.Code, LegalBasis = "", VatTreatment = "", Mode = "", Schedule = "", Basis = "",
            };
            db.BillingTerms.Add(terms);
        }

        var defaultVat = BillingWords.DefaultVat(command.LegalBasis!);
        terms.LegalBasis = command.LegalBasis!;
        terms.VatTreatment = command.VatTreatment ?? defaultVat;
        terms.VatOverridden = terms.VatTreatment != defaultVat;
        terms.Mode = command.Mode!;
        terms.Schedule = command.Schedule!;
        terms.Basis = command.Basis!;
        terms.Estimate = command.Basis == "estimate"
            ? command.Estimate!.ToDictionary(e => e!.Council, e => e!.Percent, StringComparer.Ordinal)
            : null;
        terms.PaymentTermsDays = command.PaymentTermsDays!.Value;
        terms.TolerancePercent = command.TolerancePercent;
        terms.UpdatedAt = clock.GetUtcNow();
        terms.UpdatedByKey = caller.KeyId;
        await db.SaveChangesAsync(cancellationToken);
        return BillingTermsDto.From(terms, service.HostCouncil);
    }
}

public sealed record GetBillingTerms(string Service) : IQuery<BillingTermsDto>;

public sealed class GetBillingTermsHandler(
    ApportionmentDb db,
    Caller caller) : IQueryHandler<GetBillingTerms, BillingTermsDto>
{
    public async ValueTask<BillingTermsDto> Handle(GetBillingTerms query, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(query.Service, caller, cancellationToken);
        var terms = await db.BillingTerms.AsNoTracking()
            .SingleOrDefaultAsync(t => t.ServiceCode == service.Code, cancellationToken)
            ?? throw new NotFoundException("Billing terms", service.Code);
        return BillingTermsDto.From(terms, service.HostCouncil);
    }
}

public static class BillingTermsEndpoints
{
    public static void MapBillingTerms(this RouteGroupBuilder service)
    {
        service.MapPut("/billing", async (string code, PutBillingTerms command,
                [Microsoft.AspNetCore.Mvc.FromHeader(
                    Name = "Idempotency-Key")] string? idempotencyKey, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(
                    await mediator.Send(command with { Service = code, IdempotencyKey = idempotencyKey }, ct)))
            .WithName("PutBillingTerms").WithSummary(
                "Set how the host bills the partners: legal basis, VAT, mode, on-account schedule and basis.")
            .RequireAuthorization(Scopes.BillingWrite);
        service.MapGet("/billing", async (string code, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetBillingTerms(code), ct)))
            .WithName("GetBillingTerms").WithSummary("How the host bills the service's partners.")
            .RequireAuthorization(Scopes.StatementsRead);
    }
}
