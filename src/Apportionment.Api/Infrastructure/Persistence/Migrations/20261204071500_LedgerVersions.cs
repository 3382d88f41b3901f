using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Apportionment.Api.Infrastructure.Persistence.Migrations;

/// <summary>
/// A version per service that moves with everything a ledger read of it depends on, so that a replica can answer a
/// statement it keeps without reading the ledger again while the versions it was computed at are current.
/// </summary>
[DbContext(typeof(ApportionmentDb))]
[Migration("20261204071500_LedgerVersions")]
public partial class LedgerVersions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Run(SqlScripts.LedgerVersions);
        migrationBuilder.Run(SqlScripts.CostTotals);
        migrationBuilder.Run(SqlScripts.LedgerRows);
        migrationBuilder.Sql(
            "insert into ledger_versions (service_code, version) "
            + "select code, nextval('ledger_version_seq') from shared_services on conflict do nothing;");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        // add_to_cost_totals keeps calling bump_ledger_versions, which is left doing nothing, and ledger_rows keeps
        // reading the table, whose versions no longer move.
        migrationBuilder.Sql("""
            create or replace function bump_ledger_versions(services text[]) returns void language sql as $$ $$;
            drop trigger shared_services_ledger_version on shared_services;
            drop trigger service_members_ledger_version on service_members;
            drop trigger split_agreements_ledger_version on split_agreements;
            drop trigger agreement_share_ledger_version on agreement_share;
            drop trigger activity_returns_ledger_version on activity_returns;
            drop trigger closed_months_ledger_version on closed_months;
            drop trigger invoices_ledger_version on invoices;
            drop function ledger_stamp(text, text[]);
            drop function bump_ledger_version_of_row();
            """);
    }
}
