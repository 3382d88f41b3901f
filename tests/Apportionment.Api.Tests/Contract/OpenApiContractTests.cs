namespace Apportionment.Api.Tests.Contract;

/// <summary>
/// openapi.yaml at the repository root is the contract integrators generate clients from: the served document must
/// match it byte for byte. After an intended API change, regenerate it with
/// <c>UPDATE_OPENAPI=1 dotnet test tests/Apportionment.Api.Tests --filter OpenApiContract</c> and commit the diff.
/// </summary>
public sealed class OpenApiContractTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Regenerate
        = "UPDATE_OPENAPI=1 dotnet test tests/Apportionment.Api.Tests --filter OpenApiContract";

    [Fact]
    public async Task Committed_openapi_yaml_matches_the_served_document()
    {
        var served = await ServedYamlAsync();
        var path = Path.Combine(RepositoryRoot(), "openapi.yaml");
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, served);
            return;
        }

        Assert.True(
            File.Exists(path),
            $"openapi.yaml is missing at the repository root. Generate it with: {Regenerate}");
        var committed = (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n");
        if (committed != served)
        {
            Assert.Fail("openapi.yaml differs from the document the API serves (first difference at line "
                + $"{FirstDifferentLine(committed, served)}). " +
                $"If the API change is intended, regenerate the contract with: {Regenerate} and commit openapi.yaml.");
        }
    }

    [Fact]
    public async Task The_document_is_generated_the_same_way_every_time()
    {
        Assert.Equal(await ServedYamlAsync(), await ServedYamlAsync());
    }

    [Fact]
    public async Task Every_operation_has_an_operation_id_a_summary_and_a_tag()
    {
        var doc = await ServedJsonAsync();
        var missing = Operations(doc)
            .Where(o => !o.Operation.TryGetProperty("operationId", out _)
                || !o.Operation.TryGetProperty("summary", out _)
                || !o.Operation.TryGetProperty("tags", out var tags) || tags.GetArrayLength() == 0)
            .Select(o => $"{o.Method.ToUpperInvariant()} {o.Path}")
            .ToList();
        Assert.True(
            missing.Count == 0,
            "Give these endpoints .WithName(), .WithSummary() and a tag: " + string.Join("; ", missing));
    }

    [Fact]
    public async Task Every_api_operation_takes_an_api_key_or_a_bearer_token_and_names_its_scope()
    {
        var doc = await ServedJsonAsync();
        var schemes = doc.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("apiKey", schemes.GetProperty("ApiKey").GetProperty("type").GetString());
        Assert.Equal("http", schemes.GetProperty("Bearer").GetProperty("type").GetString());
        Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());
        foreach (var (path, method, operation) in Operations(doc))
        {
            var id = $"{method.ToUpperInvariant()} {path}";
            Assert.True(
                operation.TryGetProperty("security", out var security) && security.GetArrayLength() > 0,
                $"{id} has no security requirement");
            // Alternatives, each enough on its own: one requirement naming only ApiKey, one naming only Bearer.
            var alternatives = security.EnumerateArray()
                .Select(r => string.Join("+", r.EnumerateObject().Select(p => p.Name)))
                .ToList();
            Assert.True(
                alternatives.Contains("ApiKey") && alternatives.Contains("Bearer"),
                $"{id} security is [{string.Join(", ", alternatives)}]");
            Assert.Contains("Requires ", operation.GetProperty("description").GetString(), StringComparison.Ordinal);
            foreach (var status in new[] { "400", "401", "403", "429", "503" })
            {
                Assert.True(
                    operation.GetProperty("responses").TryGetProperty(status, out _),
                    $"{id} does not document {status}");
            }
        }
    }

    [Fact]
    public async Task Every_request_body_has_an_example()
    {
        var doc = await ServedJsonAsync();
        var missing = Operations(doc)
            .Where(o => o.Operation.TryGetProperty("requestBody", out var body)
                && body.GetProperty("content").EnumerateObject()
                    .Any(m => !m.Value.TryGetProperty("example", out _) && !m.Value.TryGetProperty("examples", out _)))
            .Select(o => o.Operation.GetProperty("operationId").GetString())
            .ToList();
        Assert.True(
            missing.Count == 0,
            "Add an example to Features/RequestExamples.cs for: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task The_document_is_open_and_also_served_as_yaml()
    {
        var response = await factory.CreateClient().GetAsync("/openapi/v1.yaml");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("openapi: '3.1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<string> ServedYamlAsync() =>
        (await factory.CreateClient().GetStringAsync("/openapi/v1.yaml")).ReplaceLineEndings("\n");

    private async Task<JsonElement> ServedJsonAsync() =>
        JsonDocument.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement doc) =>
        doc.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(
                m => m.Name is "get" or "put" or "post" or "patch" or "delete").Select(m => (p.Name, m.Name, m.Value)));

    private static int FirstDifferentLine(string a, string b)
    {
        var (left, right) = (a.Split('\n'), b.Split('\n'));
        var i = 0;
        while (i < left.Length && i < right.Length && left[i] == right[i])
        {
            i++;
        }

        return i + 1;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Apportionment.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName
            ?? throw new InvalidOperationException("Apportionment.sln not found above " + AppContext.BaseDirectory);
    }
}
