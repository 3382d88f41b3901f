using System.Globalization;

namespace Apportionment.LoadGen;

public sealed class Options
{
    public const string Usage = """
        Apportionment.LoadGen: builds a deterministic scale model through the HTTP API and loads its postings.

          --url URL            API base address (default http://127.0.0.1:8080)
          --key KEY            admin API key (default: environment Auth__AdminApiKey)
          --scale X            1.0 = full model: 380 councils, 2,000 services, 50 lines per service-month (default 0.1)
          --seed N             random seed (default 42)
          --first-year YYYY    first financial year to generate (default 2016 = 2016-17)
          --last-year YYYY     last financial year (default 2025 = 2025-26)
          --lines N            lines per service-month (default 50)
          --phases LIST        comma list of setup,activity,postings (default all three), or measure:
                               --path P --requests N (default 1000) sequential GETs, prints p50/p90/p99
          --batch N            lines per /cost-batches request or COPY (default 100000)
          --parallel N         concurrent /cost-batches requests (default 2)
          --limit N            stop after N postings (0 = all)
          --copy               load postings with Npgsql binary COPY into cost_postings instead of the API
          --db CONNSTRING      Npgsql connection string, for --copy
          --csv-out DIR        write the postings as files instead: api-NNNN.csv (the API's batch CSV) and
                               copy-NNNN.csv (the same rows in cost_postings columns, for psql \copy)
        """;

    public string Url { get; private set; } = "http://127.0.0.1:8080";
    public string ApiKey { get; private set; } = Environment.GetEnvironmentVariable("Auth__AdminApiKey") ?? "";
    public double Scale { get; private set; } = 0.1;
    public int Seed { get; private set; } = 42;
    public int FirstYear { get; private set; } = 2016;
    public int LastYear { get; private set; } = 2025;
    public int LinesPerMonth { get; private set; } = 50;
    public HashSet<string> Phases { get; private set; } = ["setup", "activity", "postings"];
    public int Batch { get; private set; } = 100_000;
    public int Parallel { get; private set; } = 2;
    public int Limit { get; private set; }
    public bool Copy { get; private set; }
    public string? Db { get; private set; }
    public string? CsvOut { get; private set; }
    public string? MeasurePath { get; private set; }
    public int Requests { get; private set; } = 1000;

    public static Options? Parse(string[] args)
    {
        var o = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--url": o.Url = Next(); break;
                case "--key": o.ApiKey = Next(); break;
                case "--scale": o.Scale = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--seed": o.Seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--first-year": o.FirstYear = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--last-year": o.LastYear = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--lines": o.LinesPerMonth = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--phases":
                    o.Phases = Next().Split(
                    ',',
                    StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(); break;
                case "--batch": o.Batch = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--parallel": o.Parallel = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--limit": o.Limit = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--copy": o.Copy = true; break;
                case "--db": o.Db = Next(); break;
                case "--csv-out": o.CsvOut = Next(); break;
                case "--path": o.MeasurePath = Next(); break;
                case "--requests": o.Requests = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                default: return null;
            }
        }

        return o.Scale > 0 && o.Batch > 0 && o.FirstYear <= o.LastYear ? o : null;
    }
}
