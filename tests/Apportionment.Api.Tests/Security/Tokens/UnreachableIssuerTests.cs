using Apportionment.Api.Infrastructure.Security;
using Microsoft.AspNetCore.Hosting;

namespace Apportionment.Api.Tests.Security.Tokens;

/// <summary>
/// An issuer whose discovery cannot be reached refuses its tokens (401, not 500) and leaves API keys working.
/// </summary>
public sealed class UnreachableIssuerTests(
    UnreachableIssuerTests.Factory factory) : IClassFixture<UnreachableIssuerTests.Factory>
{
    // Nothing listens on the discard port of loopback.
    public const string Authority = "http://127.0.0.1:9/realms/gone";

    public sealed class Factory : ApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Auth:Issuers:0:Authority", Authority);
            builder.UseSetting("Auth:Issuers:0:Audience", TestIdentityProvider.Audience);
            builder.UseSetting("Auth:Issuers:0:Council", SecurityWorldFactory.Member);
            builder.UseSetting("Auth:Issuers:0:RequireHttpsMetadata", "false");
        }
    }

    [Fact]
    public async Task Its_tokens_get_401_problem_json_and_keys_still_work()
    {
        await using var idp = await TestIdentityProvider.StartAsync();
        var token = idp.Mint(
            "gone",
            new Dictionary<string, object> { ["scope"] = Scopes.StatementsRead },
            issuer: Authority);
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization
            = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        await (await client.GetAsync("/api/v1/councils")).ProblemAsync(HttpStatusCode.Unauthorized);
        await factory.Admin().GetJsonAsync("/api/v1/councils");
    }
}
