using System.Globalization;

namespace Apportionment.LoadGen;

/// <summary>A shared service of the scale model: its members (host first) and how its agreement splits costs.</summary>
public sealed record ModelService(
    int Index,
    string Code,
    string Host,
    IReadOnlyList<string> Members,
    string Method,
    IReadOnlyList<decimal> Percents);

/// <summary>One cost line, in the API's batch CSV columns.</summary>
public readonly record struct ModelPosting(
    string Service,
    DateOnly Month,
    decimal Amount,
    string Category,
    string PaidBy,
    string Reference);

/// <summary>
/// The deterministic scale model. Everything derives from the seed and an index, never from a shared random stream,
/// so the postings of one service-month are the same whichever years or services are generated alongside them
/// (that is what lets a benchmark load 1 year, measure, then load the other 9 years of the same services).
/// </summary>
public sealed class ScaleModel
{
    public const string Driver = "hours";
    public static readonly DateOnly ServiceStart = new(2016, 4, 1);
    private static readonly string[] Categories
        = ["staff", "premises", "transport", "supplies", "ict", "contracts", "income", "overheads"];

    public ScaleModel(double scale, int seed, int linesPerMonth)
    {
        Seed = seed;
        LinesPerMonth = linesPerMonth;
        Councils = Enumerable.Range(1, Math.Max(6, (int)Math.Round(380 * scale)))
            .Select(i => $"C{i:D3}").ToList();
        Services = Enumerable.Range(1, Math.Max(2, (int)Math.Round(2000 * scale))).Select(MakeService).ToList();
    }

    public int Seed { get; }
    public int LinesPerMonth { get; }
    public IReadOnlyList<string> Councils { get; }
    public IReadOnlyList<ModelService> Services { get; }

    /// <summary>The months of financial years firstYear-.. to lastYear-.. (April to March).</summary>
    public static IEnumerable<DateOnly> Months(int firstYear, int lastYear)
    {
        for (var m = new DateOnly(firstYear, 4, 1); m <= new DateOnly(lastYear + 1, 3, 1); m = m.AddMonths(1))
        {
            yield return m;
        }
    }

    public static string MonthText(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>Month-major order: a batch of consecutive lines spans every service for a few months.</summary>
    public IEnumerable<ModelPosting> Postings(int firstYear, int lastYear)
    {
        foreach (var month in Months(firstYear, lastYear))
        {
            foreach (var service in Services)
            {
                var rng = Rng(service.Index, (month.Year * 12) + month.Month, 1);
                for (var line = 1; line <= LinesPerMonth; line++)
                {
                    var category = Categories[rng.Next(Categories.Length)];
                    var amount = category == "income"
                        ? -rng.Next(100, 500_000) / 100m
                        : rng.Next(100, 2_000_000) / 100m;
                    var paidBy = rng.Next(10) < 8 ? service.Host : service.Members[rng.Next(service.Members.Count)];
                    yield return new ModelPosting(service.Code, month, amount, category, paidBy,
                        $"INV-{service.Index:D4}-{month.Year:D4}{month.Month:D2}-{line:D3}");
                }
            }
        }
    }

    /// <summary>A month's activity figures for a driver service: one quantity per member.</summary>
    public Dictionary<string, decimal> Activity(ModelService service, DateOnly month)
    {
        var rng = Rng(service.Index, (month.Year * 12) + month.Month, 2);
        return service.Members.ToDictionary(c => c, _ => (decimal)rng.Next(1, 500), StringComparer.Ordinal);
    }

    private ModelService MakeService(int index)
    {
        var rng = Rng(index, 0, 0);
        var count = rng.Next(2, 7);
        var members = new List<string>(count);
        while (members.Count < count)
        {
            var council = Councils[rng.Next(Councils.Count)];
            if (!members.Contains(council))
            {
                members.Add(council);
            }
        }

        // A quarter of the services split by an activity driver; the rest by equal shares or fixed percentages.
        var method = (index % 4) switch { 0 => "driver", 1 => "equal", _ => "fixed" };
        var percents = new List<decimal>();
        if (method == "fixed")
        {
            var weights = members.Select(_ => rng.Next(10, 100)).ToList();
            var total = weights.Sum();
            percents.AddRange(weights.Take(count - 1).Select(w => Math.Round(100m * w / total, 4)));
            percents.Add(100m - percents.Sum());
        }

        return new ModelService(index, $"S{index:D4}", members[0], members, method, percents);
    }

    /// <summary>
    /// System.Random with an explicit seed is stable across runs and platforms; SplitMix64 spreads the inputs.
    /// </summary>
    private Random Rng(int a, int b, int c)
    {
        var x = unchecked((ulong)Seed * 0x9E3779B97F4A7C15UL ^ ((ulong)(uint)a << 32) ^ ((ulong)(uint)b << 4)
            ^ (uint)c);
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        x ^= x >> 31;
        return new Random((int)(x & 0x7FFF_FFFF));
    }
}
