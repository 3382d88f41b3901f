using Apportionment.Api.Infrastructure.Security;
using static Apportionment.Api.Tests.Security.SecurityWorldFactory;

namespace Apportionment.Api.Tests.Security.Tokens;

/// <summary>An issuer rolling its signing key: its own provider, so no other class sees the rotation.</summary>
public sealed class KeyRotationTests(TokenApiFactory factory) : IClassFixture<TokenApiFactory>
{
    [Fact]
    public async Task
        Tokens_signed_with_the_issuers_new_key_work_without_a_restart_and_the_withdrawn_key_stops_working()
    {
        await factory.Admin().EnsureCouncilsAsync(Member);
        var oldToken = factory.Token(Member, Scopes.StatementsRead);
        await ExpectAsync(oldToken, HttpStatusCode.OK, "the first key");

        factory.Idp.RotateKey();
        var newToken = factory.Token(Member, Scopes.StatementsRead);
        await ExpectAsync(newToken, HttpStatusCode.OK, "the first token with the new key");

        // The service fetched the new key set, in which the old key is gone.
        await ExpectAsync(oldToken, HttpStatusCode.Unauthorized, "the withdrawn key");
        await ExpectAsync(newToken, HttpStatusCode.OK, "the new key again");
    }

    private async Task ExpectAsync(string token, HttpStatusCode expected, string what)
    {
        using var response = await factory.WithToken(token).GetAsync($"/api/v1/councils/{Member}");
        var authentication = factory.Logs.Lines.Where(l => l.Contains("Authentication", StringComparison.Ordinal)
            || l.Contains("Bearer", StringComparison.Ordinal));
        Assert.True(response.StatusCode == expected,
            $"{what}: expected {expected}, got {response.StatusCode}. Authentication "
                + $"log:\n{string.Join("\n", authentication)}");
    }
}
