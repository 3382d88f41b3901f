using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Apportionment.Api.Infrastructure.Persistence.Migrations;

/// <summary>
/// A ledger read (a statement, savings, budgets, reports) in one statement: the support closure walked once by
/// ledger_rows and every part of the read returned with it, where six statements each walked it again.
/// </summary>
public partial class LedgerRows : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Run(SqlScripts.LedgerRows);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("drop function ledger_rows(text[], text, date, date, text, boolean);");
}
