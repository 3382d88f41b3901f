using Apportionment.Api.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Tests.Foundation;

public sealed class FoundationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_app_runs_against_real_postgresql()
    {
        var version = await factory.WithDb(
            db => db.Database.SqlQueryRaw<string>("select version() as \"Value\"").SingleAsync());
        Assert.StartsWith("PostgreSQL", version);

        var body = await factory.Admin().GetFromJsonAsync<JsonElement>("/api/v1/version");
        Assert.StartsWith("PostgreSQL", body.GetProperty("database").GetString());
    }

    [Fact]
    public async Task Health_endpoints_are_open_and_ready_when_migrated()
    {
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task OpenApi_document_and_swagger_ui_are_served()
    {
        var client = factory.CreateClient();
        var doc = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString());
        Assert.True(doc.GetProperty("paths").EnumerateObject().Any());

        var ui = await client.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Contains("swagger-ui", await ui.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ledger_and_audit_tables_refuse_updates_from_the_applications_connection()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => factory.WithDb(db =>
            db.Database.ExecuteSqlRawAsync(
                "update audit_events set operation = 'tampered'; update cost_postings set amount = 0")));
        Assert.Contains("append-only", error.ToString());
    }

    [Fact]
    public async Task Api_without_a_key_is_401_problem_json()
    {
        var response = await factory.CreateClient().GetAsync("/api/v1/version");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
