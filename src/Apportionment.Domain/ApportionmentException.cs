namespace Apportionment.Domain;

/// <summary>
/// A month whose cost cannot be split. The message reads as a finance officer would need it, e.g.
/// "Service BC-MDNDDC cannot be apportioned for 2024-07: driver 'surveyor-hours' has no figure for MDDC."
/// </summary>
public sealed class ApportionmentException : Exception
{
    public ApportionmentException(
        string service,
        Month month,
        ApportionmentFailure failure,
        string reason,
        IReadOnlyList<string>? councilsWithoutFigures = null)
        : base($"Service {service} cannot be apportioned for {month}: {reason}.")
    {
        Service = service;
        Month = month;
        Failure = failure;
        Reason = reason;
        CouncilsWithoutFigures = councilsWithoutFigures ?? [];
    }

    public string Service { get; }

    public Month Month { get; }

    public ApportionmentFailure Failure { get; }

    /// <summary>The reason without the service and month, e.g. "no agreed split agreement is in force".</summary>
    public string Reason { get; }

    /// <summary>For a driver split: the councils with no activity figure for the month (ordinal order).</summary>
    public IReadOnlyList<string> CouncilsWithoutFigures { get; }
}
