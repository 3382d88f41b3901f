using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Apportionment.Api.Demo;
using Apportionment.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Apportionment.Dashboard.Tests;

/// <summary>
/// The service on a real loopback Kestrel port with the demo data on real PostgreSQL, trusting two councils' real
/// OpenID providers (<see cref="CouncilIdentityProviders"/>), and Debian's chromium driven by Playwright. Set up once
/// for every dashboard test class (they share the one collection, so they run one at a time).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Reliability",
    "CA1001",
    Justification = "xUnit disposes the fixture through IAsyncLifetime.DisposeAsync.")]
public sealed class DashboardWorld : IAsyncLifetime
{
    public const string Year = "2025-26";

    private readonly DashboardApi api = new();
    private readonly Dictionary<string, string> keys = new(StringComparer.Ordinal);
    private IPlaywright? playwright;

    public Uri BaseUrl { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    /// <summary>Mid Devon's and Plymouth's identity providers, which the service trusts for the dashboard.</summary>
    public CouncilIdentityProviders Identity { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The service's port is chosen first: each identity provider must know where to send the officer back.
        var port = CouncilIdentityProviders.FreePort();
        Identity = await CouncilIdentityProviders.StartAsync(new Uri($"http://127.0.0.1:{port}/dashboard/"));
        api.Issuers = Identity.Issuers;
        await ((IAsyncLifetime)api).InitializeAsync();
        api.UseKestrel(port);
        api.StartServer();
        var address = api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First();
        BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
            .Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        await DemoSeeder.SeedAsync(api.Services);
        Admin = Client(ApiFactory.AdminKey);

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>An HttpClient on the same real port the browser uses.</summary>
    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = BaseUrl };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>A council key with these scopes, made once through the API as an admin would.</summary>
    public async Task<string> KeyAsync(string council, params string[] scopes)
    {
        var name = $"{council} {string.Join(' ', scopes)}";
        if (!keys.TryGetValue(name, out var key))
        {
            var response = await Admin.PostAsJsonAsync("/api/v1/api-keys", new { name, council, scopes });
            response.EnsureSuccessStatusCode();
            key = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
            keys[name] = key;
        }

        return key;
    }

    public Task<string> ReaderKeyAsync(string council) => KeyAsync(council, "statements:read");

    public Task<string> ApproverKeyAsync(string council) => KeyAsync(council, "statements:read", "agreements:approve");

    /// <summary>
    /// A fresh browser tab that records console errors and every request that would leave the origin.
    /// </summary>
    public async Task<DashboardPage> OpenAsync(ITestOutputHelper output, ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 },
            AcceptDownloads = true,
        });
        return new DashboardPage(this, context, await context.NewPageAsync(), output);
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright?.Dispose();
        Admin.Dispose();
        await ((IAsyncLifetime)api).DisposeAsync();
        await Identity.DisposeAsync();
    }

    /// <summary>
    /// The service trusting each council's provider, with the dashboard's public client registered there.
    /// </summary>
    private sealed class DashboardApi : ApiFactory
    {
        public IReadOnlyDictionary<string, string> Issuers { get; set; } = new Dictionary<string, string>();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            var i = 0;
            foreach (var (council, issuer) in Issuers)
            {
                var section = $"Auth:Issuers:{i++}:";
                builder.UseSetting(section + "Authority", issuer);
                builder.UseSetting(section + "Audience", CouncilIdentityProviders.Audience);
                builder.UseSetting(section + "RequireHttpsMetadata", "false");
                builder.UseSetting(section + "Council", council);
                builder.UseSetting(section + "ClientId", CouncilIdentityProviders.ClientId);
                builder.UseSetting(section + "Scope", "openid profile " + CouncilIdentityProviders.ServiceScopes);
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardWorld>
{
    public const string Name = "dashboard";
}
