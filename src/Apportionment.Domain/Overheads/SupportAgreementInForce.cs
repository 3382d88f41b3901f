namespace Apportionment.Domain;

/// <summary>The agreed support agreement in force for a month: the service is a support service that month.</summary>
public sealed record SupportAgreementInForce(Guid AgreementId, SupportRule Rule);
