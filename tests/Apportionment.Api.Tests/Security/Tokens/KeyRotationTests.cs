using System.Net;
using Apportionment.Api.Infrastructure.Security;
using Apportionment.Api.Tests.Infrastructure;
using static Apportionment.Api.Tests.Security.SecurityWorldFactory;

namespace Apportionment.Api.Tests.Security.Tokens;

/// <summary>An issuer rolling its signing key: its own provider, so no other class sees the rotation.</summary>
public sealed class KeyRotationTests(TokenApiFactory factory) : IClassFixture<TokenApiFactory>
{
    [Fact]
    public async Task Tokens_signed_with_the_issuers_new_key_work_without_a_restart_and_the_withdrawn_key_stops_working()
    {
        await factory.Admin().EnsureCouncilsAsync(Member);
        var oldToken = factory.Token(Member, Scopes.StatementsRead);
        await factory.WithToken(oldToken).GetJsonAsync($"/api/v1/councils/{Member}");

        factory.Idp.RotateKey();
        var newToken = factory.Token(Member, Scopes.StatementsRead);
        await factory.WithToken(newToken).GetJsonAsync($"/api/v1/councils/{Member}");

        // The service fetched the new key set, in which the old key is gone.
        await (await factory.WithToken(oldToken).GetAsync($"/api/v1/councils/{Member}")).ProblemAsync(HttpStatusCode.Unauthorized);
        await factory.WithToken(newToken).GetJsonAsync($"/api/v1/councils/{Member}");
    }
}
