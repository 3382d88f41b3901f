using Apportionment.Api;
using Apportionment.Api.Demo;

var builder = WebApplication.CreateBuilder(args);
builder.AddApportionment();

var app = builder.Build();
app.UseApportionment();

var migrateOnly = args.Contains("--migrate-only");
await app.PrepareDatabaseAsync(migrate: migrateOnly || app.Configuration.GetValue("Database:MigrateOnStartup", true));
if (migrateOnly)
{
    return;
}

if (DemoSeeder.IsEnabled(app.Configuration))
{
    await DemoSeeder.SeedAsync(app.Services, app.Lifetime.ApplicationStopping);
}

await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
