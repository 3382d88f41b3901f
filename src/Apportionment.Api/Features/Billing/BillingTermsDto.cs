using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Domain;

namespace Apportionment.Api.Features.Billing;

public sealed record EstimateShareDto(string Council, decimal Percent);

/// <summary>
/// How a service's host bills its partners. vatDefault is what the legal basis implies; vatTreatment differs from it
/// only when the terms override it.
/// </summary>
public sealed record BillingTermsDto(
    string Service, string HostCouncil, string LegalBasis, string VatTreatment, string VatDefault,
    decimal VatRatePercent, string Mode,
    string Schedule, string Basis, IReadOnlyList<EstimateShareDto>? Estimate, int PaymentTermsDays,
    decimal? TolerancePercent, DateTimeOffset UpdatedAt)
{
    public static BillingTermsDto From(BillingTerms t, string host) => new(
        t.ServiceCode, host, t.LegalBasis, t.VatTreatment, BillingWords.DefaultVat(t.LegalBasis),
        Domain.Billing.Vat.RatePercent(BillingWords.Treatment(t.VatTreatment)), t.Mode, t.Schedule, t.Basis,
        t.Estimate?.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new EstimateShareDto(e.Key, e.Value))
            .ToList(),
        t.PaymentTermsDays, t.TolerancePercent, t.UpdatedAt);

    public IReadOnlyList<CouncilShare>? EstimateShares()
        => Estimate?.Select(e => new CouncilShare(e.Council, e.Percent)).ToList();
}
