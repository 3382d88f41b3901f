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
        migrationBuilder.Sql("""
            create or replace function add_to_cost_totals() returns trigger language plpgsql as $$
            begin
              insert into cost_totals (service_code, month, paid_by, amount, postings)
              select service_code, month, paid_by, sum(amount), count(*)
              from inserted
              group by service_code, month, paid_by
              order by service_code, month, paid_by
              on conflict (service_code, month, paid_by) do update
                set amount = cost_totals.amount + excluded.amount,
                    postings = cost_totals.postings + excluded.postings;
              return null;
            end $$;
            drop trigger shared_services_ledger_version on shared_services;
            drop trigger service_members_ledger_version on service_members;
            drop trigger split_agreements_ledger_version on split_agreements;
            drop trigger agreement_share_ledger_version on agreement_share;
            drop trigger activity_returns_ledger_version on activity_returns;
            drop trigger closed_months_ledger_version on closed_months;
            drop trigger invoices_ledger_version on invoices;
            drop function ledger_stamp(text, text[]);
            drop function bump_ledger_version_of_row();
            drop function bump_ledger_versions(text[]);
            drop table ledger_versions;
            drop sequence ledger_version_seq;
            """);
    }
}
