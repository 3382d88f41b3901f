namespace Apportionment.Domain;

/// <summary>How a shared service's net cost is divided between the partner councils.</summary>
public enum SplitMethod
{
    /// <summary>Agreed percentages, e.g. planning 60/40.</summary>
    Fixed,

    /// <summary>Every listed council pays the same.</summary>
    Equal,

    /// <summary>In proportion to monthly activity, e.g. surveyor hours.</summary>
    Driver,
}
