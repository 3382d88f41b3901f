using Apportionment.Domain.Billing;

namespace Apportionment.Domain.Tests.Properties;

public class BillingProperties
{
    private static readonly string[] Partners = ["DCC", "MDDC", "PCC", "TDC", "TORR"];

    private static readonly Gen<VatTreatment> Treatment = Gen.Enum<VatTreatment>();

    /// <summary>Percentages of up to 4 places adding up to exactly 100 over the first n partners.</summary>
    private static readonly Gen<CouncilShare[]> Estimate =
        from n in Gen.Int[1, Partners.Length]
        from weights in Gen.Int[1, 10_000].Array[n]
        select ToPercents(Partners[..n], weights);

    private static readonly Gen<YearEndInput> YearEndCase =
        from estimate in Estimate
        from actual in Gen.Long[-2_000_000_00L, 20_000_000_00L].Array[estimate.Length]
        from onAccount in Gen.Long[0, 20_000_000_00L].Array[estimate.Length]
        from paid in Gen.Frequency((3, Gen.Const(0L)), (1, Gen.Long[0, 1_000_000_00L])).Array[estimate.Length]
        from tolerance in Gen.Frequency(
            (1, Gen.Const((decimal?)null)),
            (3, Gen.Int[0, 1000].Select(t => (decimal?)(t * 0.01m))))
        from withEstimate in Gen.Bool
        select new YearEndInput(
            estimate.Select((e, i) => new CouncilAmount(e.Council, actual[i] * 0.01m)).ToList(),
            estimate.Select((e, i) => (e.Council, onAccount[i] * 0.01m)).ToDictionary(x => x.Council, x => x.Item2),
            estimate.Select((e, i) => (e.Council, paid[i] * 0.01m)).ToDictionary(x => x.Council, x => x.Item2),
            withEstimate ? estimate : null,
            tolerance);

    private static CouncilShare[] ToPercents(string[] councils, int[] weights)
    {
        var parts = LargestRemainder.Allocate(100m, councils.Zip(weights, (c, w) => (c, (decimal)w)).ToList());
        // Pennies of a hundred are hundredths of a percent; a zero part is topped up from the largest so each is > 0.
        var percents = parts.Select(p => p.Amount).ToArray();
        for (var i = 0; i < percents.Length; i++)
        {
            if (percents[i] == 0m)
            {
                var largest = Array.IndexOf(percents, percents.Max());
                percents[largest] -= 0.01m;
                percents[i] = 0.01m;
            }
        }

        return councils.Select((c, i) => new CouncilShare(c, percents[i])).ToArray();
    }

    [Fact]
    public void On_account_plus_final_charge_is_the_year_end_share_to_the_penny_for_every_council() =>
        Gen.Select(YearEndCase, Treatment).Sample((input, vat) =>
        {
            var charges = YearEnd.TrueUp(input, vat);
            Assert.All(charges, c => Assert.Equal(c.YearEndShare, c.OnAccount + c.FinalCharge + c.PaidDirectly));
            Assert.Equal(input.ActualShares.Sum(a => a.Amount), charges.Sum(c => c.YearEndShare));
            Assert.All(charges, c => Assert.Equal(Vat.On(c.FinalCharge, vat), c.FinalVat));
        }, iter: Generators.Iterations);

    [Fact]
    public void Without_a_tolerance_every_council_bears_its_actual_share() =>
        YearEndCase.Select(i => i with { TolerancePercent = null }).Sample(input =>
        {
            var charges = YearEnd.TrueUp(input, VatTreatment.OutsideScope);
            Assert.All(charges, c => Assert.Equal(YearEndRule.Actual, c.Rule));
            Assert.All(charges, c => Assert.Equal(c.ActualShare, c.YearEndShare));
            Assert.All(charges, c => Assert.Equal(c.ActualShare, c.OnAccount + c.FinalCharge + c.PaidDirectly));
        }, iter: Generators.Iterations);

    [Fact]
    public void Only_councils_beyond_the_tolerance_move_to_their_actual_share() =>
        YearEndCase.Where(
            i => i.Estimate is not null && i.TolerancePercent is not null && i.ActualShares.Sum(a => a.Amount) != 0m)
            .Sample(input =>
            {
                var total = input.ActualShares.Sum(a => a.Amount);
                var charges = YearEnd.TrueUp(input, VatTreatment.Standard);
                foreach (var c in charges)
                {
                    var actualPercent = c.ActualShare / total * 100m;
                    var beyond = Math.Abs(actualPercent - c.EstimatePercent!.Value) > input.TolerancePercent!.Value;
                    if (beyond)
                    {
                        Assert.Equal(YearEndRule.ActualOutsideTolerance, c.Rule);
                    }

                    if (c.Rule == YearEndRule.ActualOutsideTolerance)
                    {
                        Assert.Equal(c.ActualShare, c.YearEndShare);
                    }
                }

                var staying = charges.Where(c => c.Rule == YearEndRule.EstimateWithinTolerance).ToList();
                var rest = staying.Sum(c => c.YearEndShare);
                var estimates = staying.Sum(c => c.EstimatePercent!.Value);
                // Those within the tolerance share what the movers leave in their estimated proportions, within a
                // penny.
                Assert.All(staying, c => Assert.True(
                    Math.Abs(c.YearEndShare - (rest * c.EstimatePercent!.Value / estimates)) < 0.01m,
                    $"{c}"));
            }, iter: Generators.Iterations);

    [Fact]
    public void Vat_is_the_rate_on_the_net_rounded_once_to_the_nearest_penny() =>
        Gen.Select(Generators.Amount, Treatment).Sample((net, vat) =>
        {
            var tax = Vat.On(net, vat);
            Assert.Equal(2, tax.Scale);
            Assert.Equal(-tax, Vat.On(-net, vat));
            if (vat == VatTreatment.Standard)
            {
                Assert.True(Math.Abs(tax - (net * 0.2m)) <= 0.005m, $"{net} -> {tax}");
                Assert.True(tax == 0m || Math.Sign(tax) == Math.Sign(net));
            }
            else
            {
                Assert.Equal(0m, tax);
            }
        }, iter: Generators.Iterations);

    [Fact]
    public void On_account_instalments_add_up_to_each_councils_share_of_the_year() =>
        Gen.Select(Estimate, Generators.Amount.Array[12], Gen.Enum<BillingSchedule>())
            .Sample((estimate, profile, schedule) =>
                {
                    var year = OnAccount.ByEstimate("SVC", 2025, profile, estimate);
                    var instalments = OnAccount.Instalments(year, schedule);
                    Assert.Equal(
                schedule switch { BillingSchedule.Monthly => 12, BillingSchedule.Quarterly => 4, _ => 1 },
                instalments.Count);
                    Assert.All(
                estimate,
                e => Assert.Equal(year.ShareOf(e.Council), instalments.Sum(i => i.ChargeOf(e.Council))));
                    Assert.All(instalments, i => Assert.Equal(
                        profile.Where((_, m) => i.Period.Contains(new Month(2025, 4).AddMonths(m))).Sum(), i.Charges
                    .Sum(c => c.Amount)));
                    Assert.Equal(profile.Sum(), instalments.Sum(i => i.Charges.Sum(c => c.Amount)));
                }, iter: Generators.Iterations);
}
