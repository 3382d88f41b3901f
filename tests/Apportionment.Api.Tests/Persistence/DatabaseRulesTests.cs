using System.Text.RegularExpressions;
using Apportionment.Api.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Tests.Persistence;

/// <summary>
/// The functions the database runs are the ones a reader finds in Infrastructure/Persistence/Sql: after every
/// migration, each function's body in PostgreSQL is the body in its file.
/// </summary>
public sealed partial class DatabaseRulesTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [GeneratedRegex(@"create or replace function (\w+)\(.*?\$\$(.*?)\$\$", RegexOptions.Singleline)]
    private static partial Regex Function();

    [Fact]
    public async Task Every_function_in_the_database_is_the_one_in_its_sql_file()
    {
        var functions = SqlScripts.All.SelectMany(file => Function().Matches(SqlScripts.Read(file)))
            .Select(m => (Name: m.Groups[1].Value, Body: m.Groups[2].Value)).ToList();
        Assert.Equal(
            [
                "add_to_cost_totals", "bump_ledger_version_of_row", "bump_ledger_versions", "closed_month_blocking",
                "ensure_month_open", "ensure_posting_service_as_read", "ledger_rows", "ledger_stamp",
                "notify_service_changed", "refuse_change", "refuse_closed_month_postings", "support_downstream",
            ],
            functions.Select(f => f.Name).Order(StringComparer.Ordinal));

        foreach (var (name, body) in functions)
        {
            var stored = await factory.WithDb(db => db.Database
                .SqlQuery<string>($"select prosrc as \"Value\" from pg_proc where proname = {name}").ToListAsync());
            Assert.Equal([body], stored);
        }
    }

    [Fact]
    public async Task Every_trigger_in_the_sql_files_is_in_the_database()
    {
        var triggers = SqlScripts.All
            .SelectMany(file => Regex.Matches(SqlScripts.Read(file), @"create or replace trigger (\w+)"))
            .Select(m => m.Groups[1].Value)
            .Order(StringComparer.Ordinal)
            .ToList();
        var stored = await factory.WithDb(db => db.Database
            .SqlQuery<string>(
                $"select tgname as \"Value\" from pg_trigger where not tgisinternal order by tgname").ToListAsync());
        Assert.Equal(triggers, stored.Where(triggers.Contains).Order(StringComparer.Ordinal));
        Assert.Equal(17, triggers.Count);
    }
}
