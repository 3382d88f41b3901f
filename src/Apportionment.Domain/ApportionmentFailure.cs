namespace Apportionment.Domain;

/// <summary>Why a month could not be apportioned, so callers can respond without parsing messages.</summary>
public enum ApportionmentFailure
{
    /// <summary>The month has a cost but no agreed split agreement covers it.</summary>
    NoAgreementInForce,

    /// <summary>A driver split lacks activity figures for one or more councils.</summary>
    MissingDriverFigures,

    /// <summary>A driver split's activity figures add up to zero, so there is no proportion to use.</summary>
    ZeroDriverActivity,

    /// <summary>A driver split has a negative activity figure.</summary>
    NegativeDriverFigure,

    /// <summary>Support services pass cost only among themselves, so it never reaches a council.</summary>
    ClosedSupportLoop,
}
