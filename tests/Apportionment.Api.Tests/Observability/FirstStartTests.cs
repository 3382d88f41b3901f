using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Apportionment.Api.Tests.Observability;

/// <summary>The service starting on an empty database, as on a newcomer's first ./scripts/run.sh.</summary>
public sealed class EmptyDatabaseFactory : ApiFactory
{
    public CapturingLoggerProvider Logs { get; } = new();

    protected override Task<string> CreateDatabaseAsync() => TestDatabase.CreateEmptyAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(l => l.AddProvider(Logs));
    }
}

public sealed class FirstStartTests(EmptyDatabaseFactory factory) : IClassFixture<EmptyDatabaseFactory>
{
    [Fact]
    public async Task A_first_start_migrates_an_empty_database_without_an_error_line_in_the_log()
    {
        var councils = await factory.Admin().GetJsonAsync("/api/v1/councils");

        Assert.Empty(councils.Items());
        Assert.Contains(factory.Logs.Lines, l => l.Message == "Database migrations applied");
        var errors = factory.Logs.Lines.Where(l => l.Level >= LogLevel.Error).Select(l => $"{l.Category}: {l.Message}")
            .ToList();
        Assert.True(errors.Count == 0, "Error lines on a clean first start:\n" + string.Join('\n', errors));
    }

    [Fact]
    public void Logs_are_json_unless_the_documented_switch_asks_for_readable_lines()
    {
        Assert.Equal(ConsoleFormatterNames.Json, FormatterName(factory));

        using var readable = factory.WithWebHostBuilder(
            b => b.UseSetting("Logging:Console:FormatterName", ConsoleFormatterNames.Simple));
        Assert.Equal(ConsoleFormatterNames.Simple, FormatterName(readable));
    }

    private static string? FormatterName(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app) =>
        app.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName;
}
