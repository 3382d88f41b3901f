using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Apportionment.Api.Tests.Dashboard;

/// <summary>
/// A newcomer who opens the service's address finds the dashboard and the API documentation, not a bare 401.
/// </summary>
public sealed class FrontDoorTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_browser_opening_the_service_is_sent_to_the_dashboard()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dashboard/", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task Any_other_client_gets_the_links_to_the_dashboard_and_the_documentation()
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        var links = await client.GetFromJsonAsync<JsonElement>("/");

        Assert.Equal("/dashboard/", links.GetProperty("dashboard").GetString());
        Assert.Equal("/swagger/", links.GetProperty("documentation").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(links.GetProperty("openApi").GetString())).StatusCode);
    }

    [Fact]
    public async Task Without_a_configured_client_the_dashboard_offers_no_issuer_sign_in()
    {
        using var client = factory.CreateClient();

        var options = await client.GetFromJsonAsync<JsonElement>("/dashboard/sign-in-options");

        Assert.Empty(options.GetProperty("issuers").EnumerateArray());
    }
}
