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
        migrationBuilder.Sql("""
            create function refuse_change() returns trigger language plpgsql as $$
            begin
              raise exception '% is append-only: % is not allowed', tg_table_name, tg_op using errcode = '42501';
            end $$;

            create trigger audit_events_append_only before update or delete on audit_events
              for each statement execute function refuse_change();
            create trigger audit_events_no_truncate before truncate on audit_events
              for each statement execute function refuse_change();
            create trigger cost_postings_append_only before update or delete on cost_postings
              for each statement execute function refuse_change();
            create trigger cost_postings_no_truncate before truncate on cost_postings
              for each statement execute function refuse_change();

            create function add_to_cost_totals() returns trigger language plpgsql as $$
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

            create trigger cost_postings_totals after insert on cost_postings
              referencing new table as inserted
              for each statement execute function add_to_cost_totals();
            """);
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
