using Apportionment.Api.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Testcontainers.PostgreSql;

namespace Apportionment.Api.Tests.Infrastructure;

/// <summary>
/// Finds a real PostgreSQL: APPORTIONMENT_TEST_DB (a maintenance connection string, set by scripts/test.sh),
/// else a Testcontainers postgres:16-alpine. Migrates one template database per test run; every test class
/// then gets its own copy, so classes run in parallel without seeing each other's rows.
/// </summary>
public static class TestDatabase
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? s_server;
    private static string? s_template;
    private static PostgreSqlContainer? s_container;

    public static async Task<string> CreateAsync()
    {
        var (server, template) = await EnsureTemplateAsync();
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync(server, $"create database {name} template {template}");
        return new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>An empty database, as a newcomer's first start finds it.</summary>
    public static async Task<string> CreateEmptyAsync()
    {
        var (server, _) = await EnsureTemplateAsync();
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync(server, $"create database {name}");
        return new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true }.ConnectionString;
    }

    public static async Task DropAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(s_server!, $"drop database if exists {name} with (force)");
    }

    private static async Task<(string Server, string Template)> EnsureTemplateAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (s_server is not null && s_template is not null)
            {
                return (s_server, s_template);
            }

            s_server = Environment.GetEnvironmentVariable("APPORTIONMENT_TEST_DB") ?? await StartContainerAsync();
            var template = "tpl_" + Guid.NewGuid().ToString("N")[..16];
            await ExecuteAsync(s_server, $"create database {template}");
            var options = new DbContextOptionsBuilder<ApportionmentDb>();
            await using (var source = NpgsqlDataSource.Create(
                new NpgsqlConnectionStringBuilder(s_server) { Database = template, Pooling = false }.ConnectionString))
            {
                DatabaseSetup.Configure(options, source);
                await using var db = new ApportionmentDb(options.Options);
                await db.Database.MigrateAsync();
            }

            s_template = template;
            return (s_server, s_template);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<string> StartContainerAsync()
    {
        s_container = new PostgreSqlBuilder("postgres:16-alpine").Build();
        await s_container.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => s_container.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return new NpgsqlConnectionStringBuilder(s_container.GetConnectionString()) { Database = "postgres" }
            .ConnectionString;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
