using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Apportionment.Api.Demo;
using Apportionment.Api.Tests.Infrastructure;

namespace Apportionment.Api.Tests.Demo;

/// <summary>
/// The README's three steps and the walkthroughs it links (the demo tour, savings, overheads) run as written against
/// the demo data, and each answer must be the output the page shows. Only what genuinely differs between runs is
/// set aside: a statement of open months is dated now, and a problem's traceId names the request.
/// </summary>
public sealed partial class WalkthroughTests(ApiFactory factory) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    /// <summary>Properties whose value differs on every run; compared for presence, not value.</summary>
    private static readonly HashSet<string> Varying = ["generatedAt", "traceId"];

    public async Task InitializeAsync() => await DemoSeeder.SeedAsync(factory.Services);

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string> Pages() => ["docs/demo.md", "docs/savings.md", "docs/overheads.md"];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Every_curl_on_the_page_answers_what_the_page_shows(string page)
    {
        var examples = Examples(await File.ReadAllTextAsync(Path.Combine(RepoRoot(), page)));
        Assert.NotEmpty(examples);
        using var client = factory.CreateClient();
        foreach (var (curl, language, shown) in examples)
        {
            using var response = await client.SendAsync(Request(curl));
            var answer = await response.Content.ReadAsStringAsync();
            if (language == "csv")
            {
                Assert.True(
                    shown.TrimEnd('\n') == answer.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n'),
                    $"{page}: {curl}\nshown:\n{shown}\nanswered:\n{answer}");
            }
            else
            {
                var (expected, actual) = (Normalised(shown), Normalised(answer));
                Assert.True(
                    JsonNode.DeepEquals(expected, actual),
                    $"{page}: {curl}\nshown:\n{shown}\nanswered:\n{answer}");
            }
        }
    }

    [Fact]
    public async Task The_READMEs_three_steps_give_a_Mid_Devon_key_that_opens_the_dashboard_on_2025_26()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "README.md"));
        Assert.Contains("./scripts/run.sh --demo", readme, StringComparison.Ordinal);
        var curl = Assert.Single(
            Blocks(readme),
            b => b.Language == "sh" && b.Text.Contains("api-keys", StringComparison.Ordinal));
        using var client = factory.CreateClient();

        using var created = await client.SendAsync(Request(curl.Text));
        var key = (await created.JsonAsync(HttpStatusCode.Created)).Text("key");

        var dashboard = Regex.Match(readme, @"<(http://localhost:8080(/dashboard/))>").Groups[2].Value;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(dashboard)).StatusCode);
        var mine = factory.WithKey(key);
        var statement = await mine.GetJsonAsync("/api/v1/councils/MDDC/recharge-statements/2025-26");
        Assert.NotEmpty(statement.GetProperty("lines").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await mine.GetAsync("/api/v1/councils/MDDC/savings/2025-26")).StatusCode);
        Assert.Equal(
            HttpStatusCode.OK,
            (await mine.GetAsync("/api/v1/councils/MDDC/budget-monitoring/2025-26")).StatusCode);
    }

    /// <summary>Each curl with the output block that follows it (json or csv).</summary>
    private static List<(string Curl, string Language, string Shown)> Examples(string markdown)
    {
        var blocks = Blocks(markdown);
        var examples = new List<(string, string, string)>();
        for (var i = 0; i + 1 < blocks.Count; i++)
        {
            if (blocks[i].Language == "sh" && blocks[i + 1].Language is "json" or "csv")
            {
                examples.Add((blocks[i].Text, blocks[i + 1].Language, blocks[i + 1].Text));
            }
        }

        return examples;
    }

    private static List<(string Language, string Text)> Blocks(string markdown) =>
        [.. Fence().Matches(markdown.Replace("\r\n", "\n", StringComparison.Ordinal))
            .Select(m => (m.Groups[1].Value, Unindent(m.Groups[0].Value, m.Groups[2].Value)))];

    /// <summary>A block inside a list item is indented like its fence; the indent is not part of the text.</summary>
    private static string Unindent(string block, string text)
    {
        var indent = block.Length - block.TrimStart(' ').Length;
        return string.Join('\n', text.Split('\n').Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }

    [GeneratedRegex(@"^ *```(\w+)\n(.*?)\n *```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Fence();

    /// <summary>
    /// The curl in a shell block as an HTTP request: its -X, -H and -d, with $KEY and $(cat .local/admin-api-key) the
    /// admin key and $API the API's base path (the variables the page sets).
    /// </summary>
    private static HttpRequestMessage Request(string shell)
    {
        var words = Words(shell.Replace("\\\n", " ", StringComparison.Ordinal)
            .Split('\n')
            .Single(l => l.TrimStart().StartsWith("curl ", StringComparison.Ordinal)));
        var (method, body, url) = (HttpMethod.Get, (string?)null, "");
        var headers = new List<(string Name, string Value)>();
        for (var i = 1; i < words.Count; i++)
        {
            switch (words[i])
            {
                case "-s":
                    break;
                case "-X":
                    method = new HttpMethod(words[++i]);
                    break;
                case "-H":
                    var header = words[++i].Split(':', 2);
                    headers.Add((header[0].Trim(), header[1].Trim()));
                    break;
                case "-d":
                    body = words[++i];
                    break;
                default:
                    url = words[i].Replace("$API", "/api/v1", StringComparison.Ordinal)
                        .Replace("http://localhost:8080", "", StringComparison.Ordinal);
                    break;
            }
        }

        var request = new HttpRequestMessage(method, url);
        foreach (var (name, raw) in headers)
        {
            var value = raw.Replace("$(cat .local/admin-api-key)", ApiFactory.AdminKey, StringComparison.Ordinal)
                .Replace("$KEY", ApiFactory.AdminKey, StringComparison.Ordinal);
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            var type = headers.Single(h => h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value;
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        }

        return request;
    }

    /// <summary>Splits a command line as the shell does for these examples: single and double quotes.</summary>
    private static List<string> Words(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var (quote, inWord) = ('\0', false);
        foreach (var c in line)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                (quote, inWord) = (c, true);
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    private static JsonNode? Normalised(string json)
    {
        var node = JsonNode.Parse(json);
        Normalise(node);
        return node;
    }

    private static void Normalise(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).ToList())
                {
                    if (Varying.Contains(name) && o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                    {
                        o[name] = "(varies)";
                    }
                    else
                    {
                        Normalise(o[name]);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Normalise(item);
                }

                break;
        }
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Apportionment.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Apportionment.sln not found");
    }
}
