using Apportionment.Domain;
using BenchmarkDotNet.Attributes;

namespace Apportionment.Benchmarks;

/// <summary>
/// One month of a support loop at the cap (SupportLoops.MaxLoopSize services, each passing an awkward share on to the
/// next and the rest to planning): the exact reciprocal solve over fractions, the work that grows fastest with the
/// loop.
/// </summary>
[MemoryDiagnoser]
public class SupportLoopBenchmarks
{
    private SupportServiceMonth[] _loop = [];

    [GlobalSetup]
    public void Setup()
    {
        var n = SupportLoops.MaxLoopSize;
        var random = new Random(2026);
        _loop = Enumerable.Range(0, n).Select(i =>
        {
            // 4-decimal-place percentages, so the fractions in the elimination do not simplify.
            var onward = random.Next(10_0000, 90_0000) * 0.0001m;
            var rule = SupportRule.Create($"S{i:D2}", SplitMethod.Fixed, [],
                null, [new SupportedShare($"S{(i + 1) % n:D2}", onward), new SupportedShare(
                    "PLAN",
                    100m - onward)], null);
            return new SupportServiceMonth($"S{i:D2}", random.Next(1, 100_000_000) * 0.01m, rule, null);
        }).ToArray();
    }

    [Benchmark]
    public SupportMonthAllocation LoopAtTheCap() => OverheadAllocation.AllocateMonth(new Month(2025, 5), _loop);
}
