using System.Collections.Concurrent;
using Apportionment.Api.Infrastructure.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Apportionment.Api.Tests.Observability;

/// <summary>
/// The API with one more logger provider that keeps every line and the scope values it was written under.
/// </summary>
public sealed class LogCapturingFactory : ApiFactory
{
    public CapturingLoggerProvider Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(l => l.AddProvider(Logs));
    }
}

public sealed record CapturedLog(
    string Category,
    LogLevel Level,
    string Message,
    IReadOnlyDictionary<string, object?> Scope);

public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<CapturedLog> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            var scope = new Dictionary<string, object?>(StringComparer.Ordinal);
            provider._scopes.ForEachScope((s, values) =>
            {
                if (s is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var (key, value) in pairs)
                    {
                        values[key] = value;
                    }
                }
            }, scope);
            provider.Lines.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), scope));
        }
    }
}

public sealed class ObservabilityTests(LogCapturingFactory factory) : IClassFixture<LogCapturingFactory>
{
    [Fact]
    public async Task Metrics_are_prometheus_text_with_http_server_metrics_after_a_request()
    {
        var admin = factory.Admin();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/version")).StatusCode);

        // The exporter caches a scrape briefly; poll until the request has been recorded.
        string text = "";
        for (
            var attempt = 0;
            attempt < 30 && !text.Contains("http_server_request_duration_seconds", StringComparison.Ordinal);
            attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(200);
            }

            var response = await admin.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
            text = await response.Content.ReadAsStringAsync();
        }

        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text);
        Assert.Contains("http_route=\"/api/v1/version\"", text);
    }

    [Fact]
    public async Task Metrics_need_an_admin_key()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync("/metrics")).StatusCode);
        // 201, or 409 if already there
        await factory.Admin().PostAsJsonAsync("/api/v1/councils", new
        {
            code = "MDDC",
            name = "Mid Devon District "
            + "Council"
        });
        var council = await factory.CouncilClient("MDDC", Scopes.StatementsRead);
        Assert.Equal(HttpStatusCode.Forbidden, (await council.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Request_logs_carry_the_request_id_and_the_callers_key_id_but_never_the_key()
    {
        var admin = factory.Admin();
        // 201, or 409 if already there
        await admin.PostAsJsonAsync("/api/v1/councils", new { code = "TDC", name = "Torridge District Council" });
        var created = await (await admin.PostAsJsonAsync(
            "/api/v1/api-keys",
            new { name = "Torridge finance", council = "TDC", scopes = new[] { Scopes.StatementsRead } }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var (keyId, secret) = (created.GetProperty("id").GetString(), created.GetProperty("key").GetString()!);

        // A 404 problem names its traceId, which is the request id the scope must carry.
        var path = $"/api/v1/councils/NO-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}";
        var response = await factory.WithKey(secret).GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var traceId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("traceId").GetString();

        var line = Assert.Single(
            factory.Logs.Lines,
            l => l.Category == "Apportionment.Requests" && l.Message.Contains(path, StringComparison.Ordinal));
        Assert.Contains("responded 404", line.Message);
        Assert.Equal(traceId, line.Scope["RequestId"]);
        Assert.Equal(keyId, line.Scope["ApiKeyId"]);

        // Everything logged while handling it (the Mediator pipeline too) runs inside the same scope.
        Assert.Contains(
            factory.Logs.Lines,
            l => l.Category != "Apportionment.Requests" && Equals(l.Scope.GetValueOrDefault("RequestId"), traceId));
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Message.Contains(secret, StringComparison.Ordinal)
            || l.Scope.Values.Any(v => v?.ToString()?.Contains(secret, StringComparison.Ordinal) == true));
    }
}
