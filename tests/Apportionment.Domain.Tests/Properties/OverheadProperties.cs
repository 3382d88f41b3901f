namespace Apportionment.Domain.Tests.Properties;

/// <summary>Random support networks, cycles included: no pound is created or lost on its way to the councils.</summary>
public class OverheadProperties
{
    private static readonly string[] Partners = ["SHDC", "TDC", "WDBC"];
    private static readonly Month May = new(2025, 5);

    /// <summary>
    /// Service 0 is never a support service; every other support service names a lower-numbered service among its
    /// recipients, so cost can always leave the network, while higher-numbered ones make loops of any length.
    /// </summary>
    private static readonly Gen<Dictionary<string, IReadOnlyList<ServiceMonthInput>>> NetworkGen =
        from n in Gen.Int[1, 7]
        from services in Gen.Select(
            Generators.Amount,
            Gen.Int[0, 9],
            Gen.Int[0, 2],
            Gen.Int[1, 500].Array[n + Partners.Length],
            Gen.Int[0, 127]).Array[n]
        select Build(services);

    private static Dictionary<string, IReadOnlyList<ServiceMonthInput>> Build(
        (decimal Cost, int Kind, int Method, int[] Weights, int Mask)[] specs)
    {
        var codes = specs.Select((_, i) => $"S{i}").ToArray();
        var result = new Dictionary<string, IReadOnlyList<ServiceMonthInput>>(StringComparer.Ordinal);
        for (var i = 0; i < specs.Length; i++)
        {
            var (cost, kind, method, weights, mask) = specs[i];
            ServiceMonthInput input;
            if (i == 0 || kind < 4)
            {
                var rule = SplitRule.ByDriver("hours", Partners);
                input = new(
                    May,
                    cost,
                    new AgreementInForce(Guid.Empty, rule),
                    Partners.Select((p, k) => (p, (decimal)weights[k])).ToDictionary(x => x.p, x => x.Item2));
            }
            else
            {
                // Recipients: one lower-numbered service always, others by the mask, councils sometimes.
                var services = Enumerable.Range(0, specs.Length).Where(
                    j => j != i && (j == mask % i || ((mask >> (j % 7)) & 1) == 1)).Select(j => codes[j]).ToList();
                var councils = Partners.Where((_, k) => ((mask >> (k + 4)) & 1) == 1 && kind == 9).ToList();
                var all = councils.Concat(services).ToList();
                var activity = all.Select((c, k) => (c, (decimal)weights[k])).ToDictionary(x => x.c, x => x.Item2);
                var rule = (SplitMethod)method switch
                {
                    SplitMethod.Fixed => Fixed(codes[i], councils, services, weights),
                    SplitMethod.Equal => SupportRule.Create(
                        codes[i],
                        SplitMethod.Equal,
                        null,
                        councils,
                        services.Select(s => new SupportedShare(s, null)).ToList(),
                        null),
                    _ => SupportRule.Create(
                        codes[i],
                        SplitMethod.Driver,
                        null,
                        councils,
                        services.Select(s => new SupportedShare(s, null)).ToList(),
                        "hours"),
                };
                input = new(May, cost, null, activity, new SupportAgreementInForce(Guid.Empty, rule));
            }

            result[codes[i]] = [input];
        }

        return result;
    }

    /// <summary>Percentages to four places that add up to exactly 100, the first taking what rounding leaves.</summary>
    private static SupportRule Fixed(string self, List<string> councils, List<string> services, int[] weights)
    {
        var all = councils.Concat(services).ToList();
        var sum = weights.Take(all.Count).Sum();
        var percents = all.Select((_, k) => Math.Floor(weights[k] * 1_000_000m / sum) / 10_000m).ToArray();
        percents[0] += 100m - percents.Sum();
        return SupportRule.Create(
            self,
            SplitMethod.Fixed,
            councils.Select((c, k) => new CouncilShare(c, percents[k])).ToList(),
            null,
            services.Select((s, k) => new SupportedShare(s, percents[councils.Count + k])).ToList(),
            null);
    }

    [Fact]
    public void Every_pound_posted_reaches_the_councils_and_every_figure_adds_up() =>
        NetworkGen.Sample(
            network =>
            {
                var result = OverheadApportioner.Apportion(Period.Parse("2025-05"), network);
                var posted = network.Values.Sum(m => m.Sum(x => x.NetCost));
                Assert.Equal(posted, result.Services.Values.Sum(s => s.Total));
                Assert.Equal(posted, result.Services.Values.Sum(s => s.Apportionment.Allocations.Sum(a => a.Amount)));
                foreach (var s in result.Services.Values)
                {
                    Assert.Equal(s.DirectCost + s.Received - s.PassedOn, s.Total);
                    Assert.Equal(s.Total, s.Apportionment.Allocations.Sum(a => a.Amount));
                    Assert.All(
                        s.Apportionment.Allocations,
                        a => Assert.Equal(a.Amount, s.DirectShareOf(a.Council) + s.OverheadsShareOf(a.Council)));
                }

                foreach (var month in result.Months)
                {
                    foreach (var (service, gross) in month.GrossCost
                        .Where(g => month.Flows.Any(f => f.From == g.Key) || g.Value != 0m))
                    {
                        Assert.Equal(gross, month.Flows.Where(f => f.From == service).Sum(f => f.Amount));
                        Assert.Equal(gross, network[service][0].NetCost
                            + month.Flows.Where(f => f.To.IsService && f.To.Code == service).Sum(f => f.Amount));
                    }
                }
            },
            iter: Generators.Iterations);
}
