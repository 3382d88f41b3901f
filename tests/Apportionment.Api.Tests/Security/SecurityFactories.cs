using System.Collections.Concurrent;
using Apportionment.Api.Infrastructure.Security;
using Apportionment.Api.Tests.Security.Tokens;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Apportionment.Api.Tests.Security;

/// <summary>Five permits a second per key, so a test can run one key dry in a moment.</summary>
public sealed class LowRateApiFactory : ApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimiting:PermitsPerSecond", "5");
    }
}

/// <summary>A database of its own, plus a place for a scenario set up once and shared by the class's tests.</summary>
public sealed class AuditApiFactory : ApiFactory
{
    public object? Scenario { get; set; }

    public string EverythingKey { get; set; } = "";

    public List<string> Secrets { get; } = [AdminKey];
}

/// <summary>Captures every log line the server writes, at every level, and keeps request bodies small.</summary>
public sealed class CapturingApiFactory : ApiFactory
{
    public const int MaxBody = 4096;

    public CapturingLoggerProvider Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting(
            "Limits:MaxRequestBodyBytes",
            MaxBody.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddFilter(_ => true).AddProvider(Logs));
    }
}

public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, Lines);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            lines.Enqueue($"{category} scope: {Describe(state)}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{category} [{logLevel}] {formatter(state, exception)} | {Describe(state)} | {exception}");

        private static string Describe(object? state) => state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}"))
            : state?.ToString() ?? "";
    }
}

/// <summary>How a test's caller proves itself: an API key, or a bearer token from its council's own issuer.</summary>
public enum Credential
{
    ApiKey,
    BearerToken,
}

/// <summary>
/// One class's world, set up once: HOST hosts SVC (and SVC-CLOSE) with MEMB as the other member; OUTC belongs to
/// nothing. SVC has an agreed 60/40 agreement from 2025-04 and one cost posted by HOST in 2025-05. Keys are made on
/// demand and reused; each council also has its own token issuer (see <see cref="TokenApiFactory"/>).
/// </summary>
public sealed class SecurityWorldFactory : TokenApiFactory
{
    public const string Host = "HOST";
    public const string Member = "MEMB";
    public const string Outsider = "OUTC";
    public const string Service = "SVC";

    /// <summary>
    /// Same members as SVC; the matrix closes its months, so SVC stays open for agreements however often the matrix
    /// runs.
    /// </summary>
    public const string ClosingService = "SVC-CLOSE";

    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Task? _seeded;
    private int _counter;

    public Guid AgreementId { get; private set; }
    public Guid PostingId { get; private set; }

    /// <summary>A webhook of the member council, for the operations on one subscription.</summary>
    public Guid WebhookId { get; private set; }

    public const string ReceiverUrl = "http://127.0.0.1:9/hooks";

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // Subscriptions point at a loopback port where nothing listens, and give up after one attempt.
        builder.UseSetting("Webhooks:AllowedHosts:0", "127.0.0.1");
        builder.UseSetting("Webhooks:PollInterval", "00:00:00.050");
        builder.UseSetting("Webhooks:MaxAttempts", "1");
        // Every failure here is on purpose: the endpoint's circuit must not open and hold deliveries back.
        builder.UseSetting("Webhooks:BreakerMinimumThroughput", "100000");
    }

    public int Next() => Interlocked.Increment(ref _counter);

    /// <summary>
    /// The member's ledger codes: its share of the service, and the service's staff costs in its own ledger.
    /// </summary>
    public static readonly object MemberLedgerCodes = new
    {
        effectiveFrom = "2025-04",
        controlAccount = new { account = "S8150" },
        services = new[] { new { service = Service, costCentre = "0441", account = "4620", fund = "GF",
                costAccounts = new[] { new { account = "0110", category = "Staff" } } } },
    };

    public Task EnsureSeededAsync() => _seeded ??= SeedAsync();

    private async Task SeedAsync()
    {
        var admin = Admin();
        foreach (var code in new[] { Host, Member, Outsider })
        {
            await Http.Expect(admin.PostAsJsonAsync("/api/v1/councils", new { code, name = $"Council {code}" }), 201);
        }

        foreach (var code in new[] { Service, ClosingService })
        {
            await Http.Expect(admin.PostAsJsonAsync("/api/v1/shared-services", new
            {
                code,
                name = "Shared legal",
                hostCouncil = Host,
                members = new[] { Host, Member },
                startMonth = "2025-04",
            }), 201);
        }
        var agreement = await Http.Expect(admin.PostAsJsonAsync($"/api/v1/shared-services/{Service}/agreements", new
        {
            effectiveFrom = "2025-04",
            method = "fixed",
            shares = new[] { new { council = Host, percent = 60m }, new { council = Member, percent = 40m } },
        }), 201);
        AgreementId = agreement.GetProperty("id").GetGuid();
        foreach (var council in new[] { Host, Member })
        {
            await Http.Expect(admin.PostAsJsonAsync(
                $"/api/v1/shared-services/{Service}/agreements/{AgreementId}/approvals",
                new { council }), 200);
        }

        var posting = await Http.Expect(admin.PostAsJsonAsync($"/api/v1/shared-services/{Service}/costs", new
        {
            month = "2025-05",
            amount = 1000.00m,
            category = "Staff",
            paidBy = Host,
        }), 201);
        PostingId = posting.GetProperty("id").GetGuid();
        await Http.Expect(admin.PutAsJsonAsync($"/api/v1/councils/{Member}/ledger-codes", MemberLedgerCodes), 200);
        var webhook = await Http.Expect(admin.PostAsJsonAsync(
            "/api/v1/webhooks",
            new { council = Member, url = ReceiverUrl, events = new[] { "agreement.proposed" } }), 201);
        WebhookId = webhook.GetProperty("id").GetGuid();
        await Http.Expect(admin.PutAsJsonAsync($"/api/v1/shared-services/{Service}/indicators/in-time", new
        {
            name = "Decided in time",
            unit = "%",
            polarity = "higher-is-better",
            frequency = "monthly",
            targets = new Dictionary<string, decimal> { ["2025-26"] = 90m },
        }), 200);
        await Http.Expect(admin.PutAsJsonAsync($"/api/v1/shared-services/{Service}/governance", new
        {
            legalBasis = "Joint committee",
            agreementStart = "2025-04-01",
            exitNoticeMonths = 12,
        }), 200);
    }

    /// <summary>A client with a key of the council holding exactly these scopes (made once per combination).</summary>
    public async Task<HttpClient> KeyClient(string council, params string[] scopes)
    {
        var id = council + ":" + string.Join(",", scopes.Order(StringComparer.Ordinal));
        await _gate.WaitAsync();
        try
        {
            if (!_keys.TryGetValue(id, out var key))
            {
                key = (await Http.CreateKeyAsync(this, council, scopes)).Key;
                _keys[id] = key;
            }

            return WithKey(key);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A caller of the council (admin for null) holding exactly these scopes, by key or by token.</summary>
    public async Task<HttpClient> Caller(
        Credential credential,
        string? council,
        params string[] scopes) => (credential, council) switch
        {
            (Credential.BearerToken, _) => TokenClient(council, council is null ? [Scopes.Admin] : scopes),
            (_, null) => Admin(),
            _ => await KeyClient(council, scopes),
        };

    public Task<JsonElement> ProposeAsync(string effectiveFrom = "2025-09") =>
        Http.Expect(Admin().PostAsJsonAsync($"/api/v1/shared-services/{Service}/agreements", new
        {
            effectiveFrom,
            method = "fixed",
            shares = new[] { new { council = Host, percent = 50m }, new { council = Member, percent = 50m } },
        }), 201);

    /// <summary>Months close in order: the one a host would close next.</summary>
    public async Task<string> EarliestOpenMonthAsync(string service = Service)
    {
        var periods = await Http.Expect(Admin().GetAsync($"/api/v1/shared-services/{service}/periods?limit=500"), 200);
        return periods.GetProperty("items").EnumerateArray().First(p => !p.GetProperty("closed").GetBoolean())
            .GetProperty("month")
            .GetString()!;
    }

    /// <summary>
    /// A new delivery to the member's webhook that has failed (a split proposed, its event refused), ready to
    /// redeliver.
    /// </summary>
    public async Task<Guid> FailedDeliveryAsync()
    {
        var admin = Admin();
        var url = $"/api/v1/webhooks/{WebhookId}/deliveries?status=failed&limit=500";
        var before = (await Http.Expect(admin.GetAsync(url), 200)).GetProperty("total").GetInt32();
        await ProposeAsync();
        for (var wait = 0; wait < 600; wait++)
        {
            var failed = await Http.Expect(admin.GetAsync(url), 200);
            if (failed.GetProperty("total").GetInt32() > before)
            {
                return failed.GetProperty("items")[0].GetProperty("id").GetGuid();
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The delivery did not fail within 30 s.");
    }

    public Task<JsonElement> PostCostAsync(string paidBy, string month = "2025-06") =>
        Http.Expect(Admin().PostAsJsonAsync(
            $"/api/v1/shared-services/{Service}/costs",
            new { month, amount = 10.01m, category = "Staff", paidBy }), 201);
}

public static class Http
{
    public static readonly string[] CouncilScopes = [Scopes.CostsWrite, Scopes.StatementsRead, Scopes
        .AgreementsApprove, Scopes.BudgetsWrite, Scopes.WebhooksManage, Scopes.LedgerWrite,
        Scopes.BillingWrite];

    public static async Task<JsonElement> Expect(Task<HttpResponseMessage> send, int status)
    {
        using var response = await send;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status} but got {(int)response.StatusCode} from "
            + $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<(Guid Id, string Key)> CreateKeyAsync(
        ApiFactory factory,
        string? council,
        string[] scopes,
        DateOnly? expiresOn = null,
        string? name = null)
    {
        var created = await Expect(factory.Admin().PostAsJsonAsync("/api/v1/api-keys", new
        {
            name = name ?? $"{council ?? "admin"} {string.Join("+", scopes)}",
            council,
            scopes,
            expiresOn,
        }), 201);
        return (created.GetProperty("id").GetGuid(), created.GetProperty("key").GetString()!);
    }

    /// <summary>Row counts of every table in the class's database, by name.</summary>
    public static async Task<Dictionary<string, long>> RowCountsAsync(ApiFactory factory)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "select tablename from pg_tables where schemaname = 'public' order by tablename",
            connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand($"select count(*) from \"{table}\"", connection);
            counts[table] = (long)(await count.ExecuteScalarAsync())!;
        }

        return counts;
    }

}
