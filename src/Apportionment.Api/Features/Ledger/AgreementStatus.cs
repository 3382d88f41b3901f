namespace Apportionment.Api.Features.Ledger;

/// <summary>Where an agreement stands: only agreed agreements govern the ledger.</summary>
public static class AgreementStatus
{
    public const string Proposed = "proposed";
    public const string Agreed = "agreed";
    public const string Withdrawn = "withdrawn";
}
