using Apportionment.Domain;
using BenchmarkDotNet.Attributes;

namespace Apportionment.Benchmarks;

/// <summary>
/// One million service-months split across the five councils of the Devon Audit Partnership.
/// OperationsPerInvoke makes every reported figure "per service-month", so Mean is the cost of one
/// allocation and Allocated must read 0 B.
/// </summary>
[MemoryDiagnoser]
public class DomainAllocationBenchmarks
{
    private const int ServiceMonths = 1_000_000;
    private const int CouncilCount = 5;

    private static readonly string[] Councils = ["DCC", "MDDC", "PCC", "TDC", "TORR"];

    private readonly decimal[] _totals = new decimal[ServiceMonths];
    private readonly decimal[] _weights = new decimal[ServiceMonths * CouncilCount];
    private readonly decimal[] _result = new decimal[CouncilCount];

    [GlobalSetup]
    public void Setup()
    {
        // Fixed seed: both benchmarks see identical inputs on every run.
        var random = new Random(2009);
        for (var m = 0; m < ServiceMonths; m++)
        {
            // Costs and the occasional credit, up to ±£250,000.00 a month.
            _totals[m] = random.Next(-2_500_000, 25_000_000) * 0.01m;
            var driverMonth = m % 2 == 1;
            for (var c = 0; c < CouncilCount; c++)
            {
                // Alternate fixed percentages (4 dp) with driver months (surveyor hours to 0.5 h).
                _weights[(m * CouncilCount) + c] = driverMonth
                    ? random.Next(0, 400) * 0.5m + 0.5m
                    : random.Next(1, 400_000) * 0.0001m;
            }
        }
    }

    /// <summary>Multiply and round each share independently: fast but the parts do not add up to the total.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = ServiceMonths)]
    public decimal NaiveMultiplyAndRound()
    {
        var checksum = 0m;
        for (var m = 0; m < ServiceMonths; m++)
        {
            var weights = _weights.AsSpan(m * CouncilCount, CouncilCount);
            var sum = 0m;
            foreach (var w in weights)
            {
                sum += w;
            }

            for (var c = 0; c < CouncilCount; c++)
            {
                _result[c] = Math.Round(_totals[m] * weights[c] / sum, 2, MidpointRounding.AwayFromZero);
            }

            checksum += _result[m % CouncilCount];
        }

        return checksum;
    }

    /// <summary>The production span API: exact largest-remainder split that reconciles to the penny.</summary>
    [Benchmark(OperationsPerInvoke = ServiceMonths)]
    public decimal LargestRemainderSpan()
    {
        var checksum = 0m;
        var councils = Councils.AsSpan();
        for (var m = 0; m < ServiceMonths; m++)
        {
            LargestRemainder.Allocate(_totals[m], _weights.AsSpan(m * CouncilCount, CouncilCount), councils, _result);
            checksum += _result[m % CouncilCount];
        }

        return checksum;
    }
}
