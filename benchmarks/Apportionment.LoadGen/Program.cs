using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Apportionment.LoadGen;
using Npgsql;
using NpgsqlTypes;

// Deterministic scale-model generator for the Apportionment API. See benchmarks/Apportionment.LoadGen/README.md.
var options = Options.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

var model = new ScaleModel(options.Scale, options.Seed, options.LinesPerMonth);
if (!options.Phases.SetEquals(["measure"]))
{
    Console.WriteLine($"model: scale {options.Scale}, seed {options.Seed}: {model.Councils.Count} councils, "
        + $"{model.Services.Count} services, " +
    $"{model.Services.Count(s => s.Method == "driver")} driver services, years {options.FirstYear}-{options.LastYear}, "
        + $"{options.LinesPerMonth} lines per service-month");
}

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 })
{
    BaseAddress = new Uri(options.Url),
    Timeout = TimeSpan.FromMinutes(10)
};
http.DefaultRequestHeaders.Add("X-Api-Key", options.ApiKey);
var api = new ApiClient(http);

if (options.Phases.Contains("setup"))
{
    await Timed("councils", model.Councils.Count, () => Parallel.ForEachAsync(model
        .Councils, Parallelism(8), async (code, ct) =>
        await api.CreateAsync("/api/v1/councils", new { code, name = $"Council {code}" }, ct)));
    await Timed("services + agreements", model.Services.Count, () => Parallel.ForEachAsync(model
        .Services, Parallelism(8), async (s, ct) =>
    {
        if (!await api.CreateAsync("/api/v1/shared-services", new
        {
            code = s.Code,
            name = $"Shared service {s.Index}",
            hostCouncil = s.Host,
            members = s.Members,
            startMonth = ScaleModel.MonthText(ScaleModel.ServiceStart),
        }, ct))
        {
            return; // already there (re-run): its agreement was made with it
        }

        object proposal = s.Method switch
        {
            "fixed" => new
            {
                effectiveFrom = "2016-04",
                method = "fixed",
                shares = s.Members
                .Zip(s.Percents, (c, p) => new { council = c, percent = p })
            },
            "equal" => new { effectiveFrom = "2016-04", method = "equal", councils = s.Members },
            _ => new { effectiveFrom = "2016-04", method = "driver", driver = ScaleModel.Driver, councils = s.Members },
        };
        var agreement = await api.PostAsync($"/api/v1/shared-services/{s.Code}/agreements", proposal, ct);
        var id = agreement.GetProperty("id").GetGuid();
        foreach (var council in s.Members)
        {
            await api.PostAsync($"/api/v1/shared-services/{s.Code}/agreements/{id}/approvals", new { council }, ct);
        }
    }));
}

if (options.Phases.Contains("activity"))
{
    var returns = model.Services.Where(s => s.Method == "driver")
        .SelectMany(
            s => ScaleModel.Months(options.FirstYear, options.LastYear).Select(m => (Service: s, Month: m))).ToList();
    await Timed("activity returns", returns.Count, () => Parallel.ForEachAsync(returns, Parallelism(8), async (r, ct) =>
        await api.PutAsync($"/api/v1/shared-services/{r.Service.Code}/activity/{ScaleModel.MonthText(r.Month)}",
            new { driver = ScaleModel.Driver, quantities = model.Activity(r.Service, r.Month) }, ct)));
}

if (options.Phases.Contains("postings"))
{
    var postings = model.Postings(options.FirstYear, options.LastYear);
    if (options.Limit > 0)
    {
        postings = postings.Take(options.Limit);
    }

    var batches = postings.Chunk(options.Batch);
    if (options.CsvOut is { } dir)
    {
        Directory.CreateDirectory(dir);
        await TimedCount("csv lines", async () =>
        {
            var n = 0;
            var lines = 0L;
            foreach (var batch in batches)
            {
                n++;
                lines += batch.Length;
                await File.WriteAllTextAsync(Path.Combine(dir, $"api-{n:D4}.csv"), ApiCsv(batch));
                await File.WriteAllTextAsync(Path.Combine(dir, $"copy-{n:D4}.csv"), TableCsv(batch));
            }

            return lines;
        });
    }
    else if (options.Copy)
    {
        if (options.Db is null)
        {
            Console.Error.WriteLine("--copy needs --db <Npgsql connection string>");
            return 2;
        }

        await using var source = NpgsqlDataSource.Create(options.Db);
        await TimedCount("postings by binary COPY", async () =>
        {
            var lines = 0L;
            var postedAt = DateTimeOffset.UtcNow;
            foreach (var batch in batches)
            {
                await using var connection = await source.OpenConnectionAsync();
                await using var copy = await connection.BeginBinaryImportAsync(
                    "copy cost_postings (id, service_code, month, amount, category, paid_by, reference, posted_at) "
                        + "from stdin (format binary)");
                foreach (var p in batch)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                    await copy.WriteAsync(p.Service, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(p.Month, NpgsqlDbType.Date);
                    await copy.WriteAsync(p.Amount, NpgsqlDbType.Numeric);
                    await copy.WriteAsync(p.Category, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(p.PaidBy, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(p.Reference, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(postedAt, NpgsqlDbType.TimestampTz);
                }

                await copy.CompleteAsync();
                lines += batch.Length;
            }

            return lines;
        });
    }
    else
    {
        await TimedCount("postings through /api/v1/cost-batches", async () =>
        {
            var lines = 0L;
            await Parallel.ForEachAsync(batches, Parallelism(options.Parallel), async (batch, ct) =>
            {
                using var content = new StringContent(ApiCsv(batch), Encoding.UTF8, "text/csv");
                using var response = await http.PostAsync(
                    new Uri("/api/v1/cost-batches", UriKind.Relative),
                    content,
                    ct);
                await ApiClient.EnsureAsync(response, "cost-batches", ct);
                Interlocked.Add(ref lines, batch.Length);
            });
            return lines;
        });
    }
}

if (options.Phases.Contains("measure"))
{
    // Sequential GETs of one path: the latency one client sees, after a warm-up.
    var path = new Uri(options.MeasurePath ?? throw new ArgumentException("measure needs --path"), UriKind.Relative);
    for (var i = 0; i < 50; i++)
    {
        using var warm = await http.GetAsync(path);
        await ApiClient.EnsureAsync(warm, options.MeasurePath, default);
    }

    var times = new double[options.Requests];
    var bytes = 0L;
    var total = Stopwatch.StartNew();
    for (var i = 0; i < times.Length; i++)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsByteArrayAsync();
        times[i] = clock.Elapsed.TotalMilliseconds;
        await ApiClient.EnsureAsync(response, options.MeasurePath, default);
        bytes += body.Length;
    }

    Array.Sort(times);
    double At(double q) => times[Math.Min(times.Length - 1, (int)Math.Ceiling(q * times.Length) - 1)];
    Console.WriteLine(FormattableString.Invariant(
        $"GET {options.MeasurePath} x {times.Length} sequential: p50 {At(0.50):F2} ms, p90 {At(0.90):F2} ms, ")
        + FormattableString.Invariant(
            $"p99 {At(0.99):F2} ms, max {times[^1]:F2} ms, mean {times.Average():F2} ms, ")
        + FormattableString.Invariant(
            $"{times.Length / total.Elapsed.TotalSeconds:F0} req/s, {bytes / times.Length} B/response"));
}

return 0;

static ParallelOptions Parallelism(int n) => new() { MaxDegreeOfParallelism = n };

static async Task Timed(string what, long count, Func<Task> work)
{
    var clock = Stopwatch.StartNew();
    await work();
    var seconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine(FormattableString.Invariant($"{what}: {count} in {seconds:F1} s = {count / seconds:F0}/s"));
}

static async Task TimedCount(string what, Func<Task<long>> work)
{
    var clock = Stopwatch.StartNew();
    var count = await work();
    var seconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine(FormattableString.Invariant($"{what}: {count} in {seconds:F1} s = {count / seconds:F0}/s"));
}

static string ApiCsv(ModelPosting[] batch)
{
    var csv = new StringBuilder(batch.Length * 64).Append(
        "service,month,amount,category,paidBy,reference,description\n");
    foreach (var p in batch)
    {
        csv.Append(
            CultureInfo.InvariantCulture,
            $"{p.Service},{ScaleModel.MonthText(p.Month)},{p.Amount:F2},{p.Category},{p.PaidBy},{p.Reference},\n");
    }

    return csv.ToString();
}

// The same rows in cost_postings' own columns, for psql \copy: the ids and posting time the API would generate.
static string TableCsv(ModelPosting[] batch)
{
    var postedAt = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
    var csv = new StringBuilder(batch.Length * 128).Append(
        "id,service_code,month,amount,category,paid_by,reference,description,posted_at\n");
    foreach (var p in batch)
    {
        csv.Append(CultureInfo.InvariantCulture, $"{Guid.CreateVersion7()},{p.Service},{p.Month:yyyy-MM-dd},");
        csv.Append(CultureInfo.InvariantCulture, $"{p.Amount:F2},{p.Category},{p.PaidBy},{p.Reference},,{postedAt}\n");
    }

    return csv.ToString();
}

internal sealed class ApiClient(HttpClient http)
{
    /// <summary>POSTs a create; false when it already exists (409), so a setup can be re-run.</summary>
    public async Task<bool> CreateAsync(string path, object body, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, ct);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }

        await EnsureAsync(response, path, ct);
        return true;
    }

    public async Task<JsonElement> PostAsync(string path, object body, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, ct);
        await EnsureAsync(response, path, ct);
        return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
    }

    public async Task PutAsync(string path, object body, CancellationToken ct)
    {
        using var response = await http.PutAsJsonAsync(new Uri(path, UriKind.Relative), body, ct);
        await EnsureAsync(response, path, ct);
    }

    public static async Task EnsureAsync(HttpResponseMessage response, string path, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }
    }
}
