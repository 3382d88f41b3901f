using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Apportionment.Api.Infrastructure.Persistence.Migrations;

/// <summary>
/// Rules the database enforces whatever the code does: postings and audit events are append-only, and the
/// per (service, month, payer) totals move in the same statement as every insert into the ledger, COPY included.
/// </summary>
public partial class LedgerTriggers : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Run(SqlScripts.AppendOnly);
        migrationBuilder.Run(SqlScripts.CostTotals);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            drop trigger cost_postings_totals on cost_postings;
            drop function add_to_cost_totals();
            drop trigger cost_postings_no_truncate on cost_postings;
            drop trigger cost_postings_append_only on cost_postings;
            drop trigger audit_events_no_truncate on audit_events;
            drop trigger audit_events_append_only on audit_events;
            drop function refuse_change();
            """);
    }
}
