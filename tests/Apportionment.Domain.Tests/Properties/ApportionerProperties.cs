namespace Apportionment.Domain.Tests.Properties;

public class ApportionerProperties
{
    private static readonly string[] Partners = ["DCC", "MDDC", "NDC", "PCC", "TDC", "TORR"];

    private static readonly Gen<ServiceMonthInput> MonthGen =
        from position in Gen.Int[0, 11]
        from cost in Generators.Amount
        from count in Gen.Int[1, Partners.Length]
        from driver in Gen.Bool
        from hours in Gen.Int[1, 400].Array[count]
        select BuildMonth(position, cost, count, driver, hours);

    private static ServiceMonthInput BuildMonth(int position, decimal cost, int count, bool driver, int[] hours)
    {
        var councils = Partners[..count];
        var rule = driver ? SplitRule.ByDriver("surveyor-hours", councils) : SplitRule.Equal(councils);
        var activity = councils.Select((c, i) => (c, (decimal)hours[i])).ToDictionary(x => x.c, x => x.Item2);
        return new ServiceMonthInput(
            new Month(2024, 4).AddMonths(position),
            cost,
            new AgreementInForce(Guid.Empty, rule),
            activity);
    }

    [Fact]
    public void A_years_council_shares_add_up_to_its_net_cost() =>
        MonthGen.Array[1, 12].Select(ms => ms.DistinctBy(m => m.Month).ToArray()).Sample(
            months =>
            {
                var year = Apportioner.Apportion("SVC", Period.FinancialYear(2024), months);
                Assert.Equal(months.Sum(m => m.NetCost), year.NetCost);
                Assert.Equal(year.NetCost, year.Allocations.Sum(a => a.Amount));
                Assert.All(year.Months, m => Assert.Equal(m.NetCost, m.Allocations.Sum(a => a.Amount)));
                Assert.All(Partners, p => Assert.Equal(
                    year.Months.Sum(m => m.Allocations.Where(a => a.Council == p).Sum(a => a.Amount)),
                    year.ShareOf(p)));
            },
            iter: Generators.Iterations);
}
