using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Apportionment.Api.Tests.Quality.Reliability;
using Apportionment.Domain;
using Xunit.Abstractions;

namespace Apportionment.Api.Tests.Quality.Fuzz;

/// <summary>
/// Sends well over 10,000 generated malformed requests (seeded, so a failure replays) across every write endpoint:
/// wrong types and shapes, NUL and other control characters, null elements, duplicate keys, over-long headers.
/// Each request is a valid body put through random mutations plus at least one that always makes it invalid, so none
/// may succeed: no 5xx, every 4xx problem+json, and every table's row count unchanged.
/// </summary>
public sealed class FuzzTests(ApiFactory factory, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    private const int Seed = 20261126;
    private const int Requests = 10_400;
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private sealed record Endpoint(
        string Name,
        HttpMethod Method,
        Func<Random, string> Url,
        JsonObject? Body,
        string[] Required,
        string[] Texts);

    [Fact]
    public async Task Ten_thousand_malformed_requests_across_every_write_endpoint_write_nothing_and_never_5xx()
    {
        var s = await Scenario.CreateAsync(factory);
        await s.AgreeFixedSplitAsync();
        var posting = (await s.PostCostAsync("2024-05", 10m)).GetProperty("id").GetGuid();
        var proposal = await s.ProposeEqualAsync("2024-06");
        var endpoints = Endpoints(s, posting, proposal);
        var before = await DatabaseCounts.AllAsync(factory.ConnectionString);

        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var perEndpoint = new ConcurrentDictionary<string, int>();
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var client = factory.Admin();
            int i;
            while ((i = Interlocked.Increment(ref next)) < Requests)
            {
                var random = new Random(Seed + i);
                var endpoint = endpoints[i % endpoints.Count];
                using var request = Build(endpoint, random);
                var description = $"#{i} {endpoint.Name} {request.Method} {request.RequestUri} {Preview(request)}";
                HttpResponseMessage response;
                try
                {
                    response = await client.SendAsync(request);
                }
                catch (Exception e)
                {
                    failures.Enqueue($"{description}: threw {e.GetType().Name}: {e.Message}");
                    continue;
                }

                using (response)
                {
                    var status = (int)response.StatusCode;
                    statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                    perEndpoint.AddOrUpdate(endpoint.Name, 1, (_, n) => n + 1);
                    var body = await response.Content.ReadAsStringAsync();
                    if (status is < 400 or >= 500)
                    {
                        failures.Enqueue($"{description}: {status} {body}");
                    }
                    else if (response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                        || !IsProblem(body, status))
                    {
                        failures.Enqueue(
                            $"{description}: {status} not problem+json ({response.Content.Headers.ContentType}): "
                                + $"{body}");
                    }
                }
            }
        })));

        output.WriteLine($"{Requests} requests in {watch.Elapsed}; statuses: "
            + $"{string.Join(", ", statuses.OrderBy(x => x.Key).Select(x => $"{x.Key}×{x.Value}"))}");
        output.WriteLine(string.Join(", ", perEndpoint.OrderBy(x => x.Key).Select(x => $"{x.Key}×{x.Value}")));
        Assert.True(failures.IsEmpty, $"{failures.Count} failures, first 10:\n" + string.Join("\n", failures.Take(10)));
        Assert.Equal(endpoints.Count, perEndpoint.Count);
        Assert.Equal(before, await DatabaseCounts.AllAsync(factory.ConnectionString));
    }

    private static bool IsProblem(string body, int status)
    {
        try
        {
            var json = JsonDocument.Parse(body).RootElement;
            return json.GetProperty("status").GetInt32() == status && json.TryGetProperty("title", out _)
                && json.TryGetProperty("type", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Preview(HttpRequestMessage request)
    {
        if (request.Content is null)
        {
            return "(no body)";
        }

        var text = Encoding.UTF8.GetString(request.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult());
        return text.Length > 300 ? text[..300] + "…" : text;
    }

    private static List<Endpoint> Endpoints(Scenario s, Guid posting, Guid proposal)
    {
        static JsonObject O(object o) => JsonSerializer.SerializeToNode(o, Web)!.AsObject();
        string Fixed(string u) => u;
        var svc = $"/api/v1/shared-services/{s.Service}";
        return
        [
            new(
                "councils",
                HttpMethod.Post,
                _ => Fixed("/api/v1/councils"),
                O(new { code = "NEWC1", name = "New council" }),
                ["code", "name"],
                ["name"]),
            new("shared-services", HttpMethod.Post, _ => Fixed("/api/v1/shared-services"),
                O(new { code = "NEWS1", name = "New", hostCouncil = s.Host, members = new[] {
                    s.Host,
                    s.PartnerA }, startMonth = "2024-04", endMonth = "2025-03", description = "d" }),
                ["code", "name", "hostCouncil", "members", "startMonth"], ["name", "description"]),
            new("agreements", HttpMethod.Post, _ => Fixed($"{svc}/agreements"),
                O(new { effectiveFrom = "2024-07", method = "fixed", shares = new[] {
                    new { council = s.Host, percent = 60m },
                    new { council = s.PartnerA, percent = 40m } } }),
                ["effectiveFrom", "method", "shares"], []),
            new(
                "approvals",
                HttpMethod.Post,
                _ => Fixed($"{svc}/agreements/{proposal}/approvals"),
                O(new { council = s.Host }),
                ["council"],
                []),
            new("costs", HttpMethod.Post, _ => Fixed($"{svc}/costs"),
                O(new { month = "2024-06", amount = 123.45m, category = "staff", paidBy = s
                    .PartnerA, reference = "INV-1", description = "desc" }),
                ["month", "amount", "category"], ["category", "reference", "description"]),
            new(
                "reversal",
                HttpMethod.Post,
                _ => Fixed($"/api/v1/costs/{posting}/reversal"),
                O(new { reason = "wrong" }),
                ["reason"],
                ["reason"]),
            new("api-keys", HttpMethod.Post, _ => Fixed("/api/v1/api-keys"),
                O(
                    new { name = "k", council = s.Host, scopes = new[] { "costs:write" }, expiresOn = "2030-01-01" }),
                    ["name", "scopes"], ["name"]),
            new(
                "periods-close",
                HttpMethod.Post,
                r => $"{svc}/periods/{Uri.EscapeDataString(BadMonth(r))}/close",
                null,
                [],
                []),
            new("activity", HttpMethod
                .Put, r => $"{svc}/activity/{(r.Next(4) == 0 ? Uri.EscapeDataString(BadMonth(r)) : "2024-06")}",
                O(new { driver = "cases", quantities = new Dictionary<string, decimal> {
                    [s.Host] = 3,
                    [s.PartnerA] = 1.5m } }), ["driver", "quantities"], ["driver"]),
            new(
                "baselines",
                HttpMethod.Put,
                _ => Fixed($"{svc}/baselines/{s.PartnerA}"),
                O(new { annualCost = 1000m, note = "n" }),
                ["annualCost"],
                ["note"]),
            new(
                "patch-service",
                HttpMethod.Patch,
                _ => Fixed(svc),
                O(new { name = "Renamed", endMonth = "2026-03", members = s.Councils }),
                [],
                ["name"]),
            new("cost-batches", HttpMethod.Post, _ => Fixed("/api/v1/cost-batches"),
                O(new { service = s.Service, month = "2024-06", amount = 9.99m, category = "staff", paidBy = s
                    .Host, reference = "B-1", description = "batch" }),
                ["service", "month", "amount", "category"], ["category", "reference", "description"]),
            new("withdraw", HttpMethod.Delete, r => r.Next(3) == 0
                ? $"{svc}/agreements/{Garble(r, proposal.ToString())}"
                : $"{svc}/agreements/{proposal}", null, [], []),
        ];
    }

    /// <summary>Anything but a valid month.</summary>
    private static string BadMonth(Random r)
    {
        while (true)
        {
            var candidate = r.Next(8) switch
            {
                0 => $"{r.Next(0, 10000):D4}-{r.Next(13, 100):D2}",
                1 => $"{r.Next(0, 10000):D4}-00",
                2 => new string('9', r.Next(1, 3000)),
                3 => $"{r.Next(1990, 2100)}/{r.Next(1, 13):D2}",
                4 => RandomText(r, r.Next(1, 40)),
                5 => $"{r.Next(1990, 2100)}-{r.Next(1, 13)}-01",
                6 => "-2024-05",
                _ => $"2024-05{RandomText(r, 3)}",
            };
            if (!Month.TryParse(candidate, out _, out _) && candidate.Trim().Length > 0)
            {
                return candidate;
            }
        }
    }

    private static string RandomText(Random r, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = r.Next(5) switch
            {
                0 => (char)r.Next(0x20, 0x7F),
                1 => (char)r.Next(0xA0, 0x2FFF),
                2 => "\"\\{}[],:"[r.Next(8)],
                3 => (char)r.Next(0x1, 0x20),
                _ => (char)r.Next('a', 'z' + 1),
            };
        }

        return new string(chars);
    }

    private static string Garble(Random r, string text)
    {
        var chars = text.ToCharArray();
        chars[r.Next(chars.Length)] = "xyz!@#-"[r.Next(7)];
        return Uri.EscapeDataString(new string(chars));
    }

    private static readonly JsonNode?[] WrongValues =
    [
        JsonValue.Create(true), JsonValue.Create(-1), JsonValue.Create(0.001m), JsonValue.Create(
            "text"), new JsonArray(), new JsonObject(),
        null, JsonValue.Create(long.MaxValue), JsonValue.Create(""), JsonValue.Create("2024-13"), JsonValue.Create(
            "  "),
    ];

    private static HttpRequestMessage Build(Endpoint endpoint, Random r)
    {
        var request = new HttpRequestMessage(endpoint.Method, endpoint.Url(r));
        if (endpoint.Name == "withdraw")
        {
            // Any If-Match but "*" or the real version: a stale or nonsense precondition.
            request.Headers.TryAddWithoutValidation("If-Match", r.Next(3) switch
            {
                0 => "\"0\"",
                1 => "x" + new string(
                RandomText(r, r.Next(1, 20)).Select(c => c is < ' ' or > '~' ? 'x' : c).ToArray()),
                _ => "\"999999999\""
            });
        }

        if (endpoint.Body is null)
        {
            if (r.Next(2) == 0)
            {
                request.Content = Content(Encoding.UTF8.GetBytes(RandomText(r, r.Next(0, 200))), r);
            }

            return request;
        }

        var body = (JsonObject)endpoint.Body.DeepClone();
        for (var n = r.Next(0, 4); n > 0; n--)
        {
            MutateTree(body, endpoint, r);
        }

        var bytes = Poison(body, endpoint, r, request);
        if (endpoint.Name == "cost-batches")
        {
            // A batch is an array of lines: the (poisoned) line, sometimes after a valid one.
            var valid = r.Next(2) == 0 ? Encoding.UTF8.GetBytes(endpoint.Body.ToJsonString() + ",") : [];
            bytes = [(byte)'[', .. valid, .. bytes, (byte)']'];
        }

        request.Content = Content(bytes, r);
        if (endpoint.Name is "costs" or "reversal" or "activity" or "cost-batches" && r.Next(2) == 0)
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        }

        return request;
    }

    private static ByteArrayContent Content(byte[] bytes, Random r)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(r.Next(20) == 0 ? "text/plain" : "application/json");
        return content;
    }

    /// <summary>Random changes that may or may not leave the body valid.</summary>
    private static void MutateTree(JsonObject body, Endpoint endpoint, Random r)
    {
        var names = body.Select(p => p.Key).ToList();
        if (names.Count == 0)
        {
            return;
        }

        var name = names[r.Next(names.Count)];
        switch (r.Next(6))
        {
            case 0 when !endpoint.Required.Contains(name):
                body.Remove(name);
                break;
            case 1:
                body[name] = WrongValues[r.Next(WrongValues.Length)]?.DeepClone();
                break;
            case 2 when body[name] is JsonValue v && v.TryGetValue<string>(out var text):
                body[name] = text.ToLowerInvariant() + RandomText(r, r.Next(0, 3));
                break;
            case 3 when body[name] is JsonArray a && a.Count > 0:
                a.Add(a[r.Next(a.Count)]?.DeepClone());
                break;
            case 4 when body[name] is JsonValue v && v.TryGetValue<decimal>(out var d):
                body[name] = d * (r.Next(2) == 0 ? -1 : 1000);
                break;
            default:
                break;
        }
    }

    /// <summary>At least one change that no endpoint accepts.</summary>
    private static byte[] Poison(JsonObject body, Endpoint endpoint, Random r, HttpRequestMessage request)
    {
        var names = body.Select(p => p.Key).ToList();
        var strings = names.Where(n => body[n] is JsonValue v && v.TryGetValue<string>(out _)).ToList();
        var arrays = names.Where(n => body[n] is JsonArray { Count: > 0 }).ToList();
        switch (r.Next(14))
        {
            case 10 when strings.Count > 0:
                {
                    // NUL, another control character or an unpaired surrogate in a text field (free text allows only
                    // tab and line breaks).
                    var field = strings[r.Next(strings.Count)];
                    // JSON escapes, and DEL and NEL as they are (JSON allows them unescaped).
                    var bad = new[] {
                        @"\u0000",
                        @"\u0001",
                        @"\u0007",
                        @"\u001b",
                        @"\u007f",
                        @"\u0085",
                        @"\ud800",
                        @"\udfff",
                        "\u007f",
                        "\u0085" }[r.Next(10)];
                    var text = body[field]!.GetValue<string>();
                    var at = r.Next(text.Length + 1);
                    body.Remove(field);
                    var json = body.ToJsonString();
                    var value = JsonSerializer.Serialize(text[..at])[..^1] + bad
                        + JsonSerializer.Serialize(text[at..])[1..];
                    return Encoding.UTF8.GetBytes(
                        json[..json.LastIndexOf('}')] + (body.Count > 0 ? "," : "") + $"\"{field}\":{value}}}");
                }

            case 11 when arrays.Count > 0:
                ((JsonArray)body[arrays[r.Next(arrays.Count)]]!).Insert(0, null);
                return Encoding.UTF8.GetBytes(body.ToJsonString());
            case 11 when endpoint.Name == "cost-batches":
                return Encoding.UTF8.GetBytes(body.ToJsonString() + ",null");
            case 12 when names.Count > 0:
                {
                    // A duplicate key, even with the same valid value, is ambiguous and refused.
                    var text = body.ToJsonString();
                    var dup = names[r.Next(names.Count)];
                    return Encoding.UTF8.GetBytes(
                        text[..text.LastIndexOf('}')] + $",\"{dup}\":{body[dup]?.ToJsonString() ?? "null"}}}");
                }

            case 13 when endpoint.Name is "costs" or "reversal" or "activity" or "cost-batches":
                request.Headers.TryAddWithoutValidation("Idempotency-Key", new string('k', 201 + r.Next(8000)));
                return Encoding.UTF8.GetBytes(body.ToJsonString());
            case 13:
                // An over-long key is no key: 401 before anything is read.
                request.Headers.TryAddWithoutValidation("X-Api-Key", new string('k', 1000 + r.Next(8000)));
                return Encoding.UTF8.GetBytes(body.ToJsonString());
            case 0:
                body["unexpected" + r.Next(100)] = r.Next(2) == 0 ? 1 : "x";
                break;
            case 1 when endpoint.Required.Length > 0:
                body.Remove(endpoint.Required[r.Next(endpoint.Required.Length)]);
                break;
            case 2 when names.Count > 0:
                body[names[r.Next(names.Count)]] = new JsonObject { ["x"] = new JsonArray(true) };
                break;
            case 3 when endpoint.Texts.Length > 0:
                body[endpoint.Texts[r.Next(endpoint.Texts.Length)]] = new string('x', 2001 + r.Next(20_000));
                break;
            case 4:
                {
                    var depth = 70 + r.Next(500);
                    var text = body.ToJsonString();
                    var at = text.LastIndexOf('}');
                    return Encoding.UTF8
                        .GetBytes(text[..at] + ",\"deep\":" + new string('[', depth) + new string(']', depth) + "}");
                }

            case 5:
                {
                    // Invalid UTF-8 inside a string (or anywhere).
                    var bytes = Encoding.UTF8.GetBytes(body.ToJsonString()).ToList();
                    var quote = bytes.IndexOf((byte)'"', r.Next(1, Math.Max(2, bytes.Count / 2)));
                    bytes.InsertRange(
                        quote < 0 ? 1 : quote + 1,
                        r.Next(3) switch { 0 => [0xC3, 0x28], 1 => [0xFF], _ => [0xED, 0xA0, 0x80] });
                    return bytes.ToArray();
                }

            case 6:
                {
                    var text = body.ToJsonString();
                    return Encoding.UTF8.GetBytes(text[..r.Next(0, text.Length - 1)]);
                }

            case 7 when names.Count > 0:
                {
                    var text = body.ToJsonString();
                    var dup = names[r.Next(names.Count)];
                    return Encoding.UTF8.GetBytes(text[..text.LastIndexOf('}')] + $",\"{dup}\":{{\"bad\":[1e400]}}}}");
                }

            case 8:
                {
                    var literal = new[] {
                        "NaN",
                        "Infinity",
                        "-Infinity",
                        "1e400",
                        "0x10",
                        "01",
                        ".5",
                        "1.",
                        "--1",
                        "'x'",
                        "undefined" }[r.Next(11)];
                    var target = names.Count > 0 ? names[r.Next(names.Count)] : "amount";
                    body.Remove(target);
                    var text = body.ToJsonString();
                    return Encoding.UTF8.GetBytes(
                        text[..text.LastIndexOf('}')] + (body.Count > 0 ? "," : "") + $"\"{target}\":{literal}}}");
                }

            default:
                {
                    // Garble: a structural character replaced, or the document wrapped in something else.
                    var text = body.ToJsonString();
                    return r.Next(3) switch
                    {
                        0 => Encoding.UTF8.GetBytes("[" + text + "]"),
                        1 when text.Contains(':', StringComparison.Ordinal) => Encoding.UTF8
                            .GetBytes(text.Replace(":", r.Next(2) == 0 ? "=" : ";", StringComparison.Ordinal)),
                        _ => Encoding.UTF8.GetBytes(text + text),
                    };
                }
        }

        // The chosen change did not apply to this body: fall back to one that always does.
        body["unexpected"] = true;
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }
}
