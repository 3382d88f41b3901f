using System.Net.Http.Headers;
using System.Net.Http.Json;
using Apportionment.Api.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Apportionment.Api.Tests.Infrastructure;

/// <summary>The real HTTP pipeline against its own PostgreSQL database, one per test class.</summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminKey = "test-admin-key-0123456789abcdef";

    public string ConnectionString { get; private set; } = "";

    public virtual async Task InitializeAsync() => ConnectionString = await CreateDatabaseAsync();

    /// <summary>
    /// The class's own copy of the migrated template; a factory may start from an empty database instead.
    /// </summary>
    protected virtual Task<string> CreateDatabaseAsync() => TestDatabase.CreateAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Apportionment", ConnectionString);
        builder.UseSetting("Auth:AdminApiKey", AdminKey);
        builder.UseSetting("RateLimiting:PermitsPerSecond", "100000");
        builder.UseSetting("Database:StartupRetries", "1");
        // Keep test output readable: the console shows warnings and errors; captured logs still see everything.
        builder.UseSetting("Logging:Console:LogLevel:Default", "Warning");
    }

    public HttpClient Admin() => WithKey(AdminKey);

    public HttpClient WithKey(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>
    /// Creates a council-bound key through the API, as an admin would, and returns a client using it.
    /// </summary>
    public async Task<HttpClient> CouncilClient(string council, params string[] scopes)
    {
        var response = await Admin().PostAsJsonAsync(
            "/api/v1/api-keys",
            new { name = $"{council} finance system", council, scopes });
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<CreatedKey>();
        return WithKey(created!.Key);
    }

    public async Task<T> WithDb<T>(Func<ApportionmentDb, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApportionmentDb>();
        return await query(db);
    }

    public Task<int> CountAsync<TEntity>() where TEntity : class => WithDb(db => db.Set<TEntity>().CountAsync());

    async Task IAsyncLifetime.DisposeAsync()
    {
        // Virtual, so a subclass can also stop what it started (e.g. a test identity provider).
        await DisposeAsync();
        await TestDatabase.DropAsync(ConnectionString);
    }

    private sealed record CreatedKey(Guid Id, string Key);
}
