using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Apportionment.Api.Tests.Security.Tokens;

/// <summary>
/// The API trusting a loopback identity provider: one issuer per council in <see cref="Councils"/> (tenant = council
/// code, bound to that council) and the partnership's admin issuer (tenant <see cref="AdminTenant"/>). Captures logs.
/// </summary>
public class TokenApiFactory : ApiFactory
{
    public const string AdminTenant = "partnership";
    public static readonly string[] Councils = [SecurityWorldFactory.Host, SecurityWorldFactory
        .Member, SecurityWorldFactory.Outsider];

    private int _disposed;

    public TestIdentityProvider Idp { get; private set; } = null!;

    public CapturingLoggerProvider Logs { get; } = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // Started before the API host is built, so the host's discovery requests find it listening.
        Idp = await TestIdentityProvider.StartAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        var tenants = Councils.Select(c => (Tenant: c, Council: (string?)c)).Append((AdminTenant, null)).ToList();
        for (var i = 0; i < tenants.Count; i++)
        {
            var issuer = $"Auth:Issuers:{i}:";
            builder.UseSetting(issuer + "Authority", Idp.Issuer(tenants[i].Tenant));
            builder.UseSetting(issuer + "Audience", TestIdentityProvider.Audience);
            builder.UseSetting(issuer + "RequireHttpsMetadata", "false");
            builder.UseSetting(
                issuer + (tenants[i].Council is null ? "Admin" : "Council"),
                tenants[i].Council ?? "true");
        }

        builder.ConfigureLogging(l => l.AddProvider(Logs));
    }

    /// <summary>A client sending this bearer token.</summary>
    public HttpClient WithToken(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>
    /// A token of the council's own issuer (the admin issuer for null) granting these scopes in its scope claim.
    /// </summary>
    public string Token(string? council, params string[] scopes) =>
        Idp.Mint(council ?? AdminTenant, new Dictionary<string, object> { ["scope"] = string.Join(' ', scopes) });

    public HttpClient TokenClient(string? council, params string[] scopes) => WithToken(Token(council, scopes));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && Idp is not null)
        {
            await Idp.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
