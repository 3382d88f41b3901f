namespace Apportionment.Domain;

/// <summary>The agreed split in force for a month, with its agreement id kept for the audit trail.</summary>
public sealed record AgreementInForce(Guid AgreementId, SplitRule Rule);
