namespace Apportionment.Domain.Billing;

/// <summary>How VAT applies to a recharge between councils (HMRC VAT Government and Public Bodies manual).</summary>
public enum VatTreatment
{
    /// <summary>
    /// Non-business: statutory work between councils not in competition, or a s101/s113 special legal regime.
    /// </summary>
    OutsideScope,

    /// <summary>
    /// A business supply in competition with the private sector (e.g. building control), at the standard rate.
    /// </summary>
    Standard,

    /// <summary>Exempt (e.g. a qualifying cost sharing group): no VAT charged.</summary>
    Exempt,
}

/// <summary>VAT on an invoice's net amount.</summary>
public static class Vat
{
    /// <summary>The UK standard rate, as a percentage.</summary>
    public const decimal StandardRatePercent = 20m;

    /// <summary>
    /// VAT is worked once per invoice, on its net total (never per line, so an invoice's VAT cannot drift by a penny
    /// per line), and rounded to the nearest penny with halves away from zero. A credit note's VAT is the exact
    /// negative of the VAT on the same positive net, so a charge and its reversal cancel to the penny.
    /// </summary>
    public static decimal On(decimal net, VatTreatment treatment)
    {
        if (!Money.HasAtMostTwoPlaces(net))
        {
            throw new ArgumentException($"Amount {net} has more than two decimal places.", nameof(net));
        }

        return treatment switch
        {
            VatTreatment.Standard => Money.Normalise(
                Math.Round(net * StandardRatePercent / 100m, 2, MidpointRounding.AwayFromZero)),
            VatTreatment.OutsideScope or VatTreatment.Exempt => 0.00m,
            _ => throw new ArgumentOutOfRangeException(nameof(treatment), treatment, "Unknown VAT treatment."),
        };
    }

    /// <summary>The rate charged under a treatment, as a percentage (0 unless standard-rated).</summary>
    public static decimal RatePercent(VatTreatment treatment)
        => treatment == VatTreatment.Standard ? StandardRatePercent : 0m;
}
