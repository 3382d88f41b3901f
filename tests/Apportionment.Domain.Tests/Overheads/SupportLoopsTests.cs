using Apportionment.Domain.Tests.Properties;

namespace Apportionment.Domain.Tests.Overheads;

public sealed class SupportLoopsTests
{
    private static Dictionary<string, SupportLinks> Ring(int size, bool wayOut) =>
        Enumerable.Range(0, size).ToDictionary(i => $"S{i:D2}", i => new SupportLinks(
            wayOut && i == 0 ? [$"S{(i + 1) % size:D2}", "PLAN"] : [$"S{(i + 1) % size:D2}"],
            false));

    [Fact]
    public void A_ring_with_one_way_out_at_the_cap_can_run()
        => Assert.Null(SupportLoops.FirstProblem(Ring(SupportLoops.MaxLoopSize, wayOut: true)));

    [Fact]
    public void A_ring_one_larger_than_the_cap_is_named_whole()
    {
        var problem = SupportLoops.FirstProblem(Ring(SupportLoops.MaxLoopSize + 1, wayOut: true));
        Assert.NotNull(problem);
        Assert.False(problem.Closed);
        Assert.Equal(SupportLoops.MaxLoopSize + 1, problem.Services.Count);
    }

    [Fact]
    public void A_ring_that_keeps_its_cost_is_closed_even_if_a_council_elsewhere_is_charged()
    {
        var network = Ring(3, wayOut: false);
        network["OTHER"] = new SupportLinks(["S00"], true);
        var problem = SupportLoops.FirstProblem(network);
        Assert.NotNull(problem);
        Assert.True(problem.Closed);
        Assert.Equal(["S00", "S01", "S02"], problem.Services);
    }

    [Fact]
    public void A_ring_whose_member_charges_a_council_has_a_way_out()
    {
        var network = Ring(3, wayOut: false);
        network["S01"] = network["S01"] with { ChargesCouncils = true };
        Assert.Null(SupportLoops.FirstProblem(network));
    }

    /// <summary>Against the definition: two services are in one group exactly when each reaches the other.</summary>
    [Fact]
    public void Groups_are_the_services_that_reach_each_other() =>
        Gen.Int[0, 7].Array[Gen.Int[1, 8]].Array[Gen.Int[1, 8]].Sample(
            edges =>
            {
                var n = edges.Length;
                var network = Enumerable.Range(0, n).ToDictionary(i => $"S{i}", i => new SupportLinks(
                    edges[i].Where(j => j < n && j != i).Select(j => $"S{j}").Distinct().ToList(),
                    false));
                var reach = network.Keys.ToDictionary(k => k, k => Reach(network, k));
                var groups = SupportLoops.Groups(network);
                foreach (var a in network.Keys)
                {
                    foreach (var b in network.Keys.Where(b => b != a))
                    {
                        var together = groups.Any(g => g.Contains(a) && g.Contains(b));
                        Assert.Equal(reach[a].Contains(b) && reach[b].Contains(a), together);
                    }
                }
            },
            iter: Generators.Iterations / 10);

    private static HashSet<string> Reach(Dictionary<string, SupportLinks> network, string from)
    {
        var seen = new HashSet<string>();
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out var x))
        {
            foreach (var y in network[x].Services.Where(seen.Add))
            {
                queue.Enqueue(y);
            }
        }

        return seen;
    }
}
