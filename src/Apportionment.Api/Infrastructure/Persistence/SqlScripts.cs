using System.Reflection;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Apportionment.Api.Infrastructure.Persistence;

/// <summary>The database's own functions and triggers, one embedded .sql file each group (see Sql/README.md).</summary>
public static class SqlScripts
{
    public const string AppendOnly = "append_only.sql";
    public const string CostTotals = "cost_totals.sql";
    public const string SupportDownstream = "support_downstream.sql";
    public const string ClosedMonthGuard = "closed_month_guard.sql";
    public const string ServiceChanges = "service_changes.sql";
    public const string LedgerRows = "ledger_rows.sql";
    public const string LedgerVersions = "ledger_versions.sql";

    public static IReadOnlyList<string> All { get; } =
        [AppendOnly, CostTotals, SupportDownstream, ClosedMonthGuard, ServiceChanges, LedgerRows, LedgerVersions];

    public static string Read(string file)
    {
        var name = $"{typeof(SqlScripts).Namespace}.Sql.{file}";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The SQL script {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static void Run(this MigrationBuilder migration, string file) => migration.Sql(Read(file));
}
