using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Apportionment.Api.Infrastructure.Persistence.Migrations;

/// <summary>
/// A closed month's issued figures cannot change, whatever writes to the ledger: single postings, reversals and COPY
/// batches alike. The rule lives in the database, beside the totals trigger, so it costs the posting hot path no round
/// trip and cannot be raced: the check runs after the shared advisory lock that CloseMonth takes exclusively, in a
/// statement of its own, so it sees a close that committed while it waited.
///
/// A support service's cost flows on to the services it supports, and through them to further ones (chains and
/// cycles), so a write to a service in a month is refused while that month is closed for it or for any service
/// downstream of it over the support agreements in force that month.
/// </summary>
public partial class ClosedMonthGuard : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            -- plpgsql rather than SQL functions: plpgsql keeps each query's plan for the session, and these run on every
            -- posting.
            create function support_downstream(service text, month date) returns text[]
            language plpgsql stable as $$
            declare
              reached text[];
            begin
              -- UNION (not UNION ALL) drops services already reached, so a support cycle ends.
              with recursive downstream(code) as (
                select support_downstream.service
                union
                select unnest(current_rule.supports)
                from downstream
                cross join lateral (
                  select a.supports from split_agreements a
                  where a.service_code = downstream.code and a.status = 'agreed' and a.effective_from <= support_downstream.month
                  order by a.effective_from desc, a.agreed_at desc
                  limit 1) current_rule
              )
              select array_agg(code order by code) into reached from downstream;
              return reached;
            end $$;

            -- The first service closed for the month among the service and those downstream of it (the service itself
            -- first), or null. Takes the shared locks first; plpgsql runs the check as a new statement with a new snapshot.
            create function closed_month_blocking(service text, month date) returns text
            language plpgsql volatile as $$
            declare
              affected text[] := support_downstream(service, month);
              blocking text;
            begin
              perform pg_advisory_xact_lock_shared(hashtext(code)) from unnest(affected) as code;
              select c.service_code into blocking
              from closed_months c
              where c.month = closed_month_blocking.month and c.service_code = any(affected)
              order by c.service_code <> closed_month_blocking.service, c.service_code
              limit 1;
              return blocking;
            end $$;

            -- Raises the 409 closed-period answer (SQLSTATE AP409, mapped by the API) when the month cannot change.
            create function ensure_month_open(service text, month date) returns void
            language plpgsql volatile as $$
            declare
              blocking text := closed_month_blocking(service, month);
              month_text text := to_char(month, 'YYYY-MM');
            begin
              if blocking = service then
                raise exception '% is closed for ''%'': its statements have been issued and cannot change.', month_text, service
                  using errcode = 'AP409';
              elsif blocking is not null then
                raise exception '% is closed for ''%'', which ''%'' supports: its statements have been issued and cannot change.',
                  month_text, blocking, service using errcode = 'AP409';
              end if;
            end $$;

            create function refuse_closed_month_postings() returns trigger language plpgsql as $$
            begin
              perform ensure_month_open(written.service_code, written.month)
              from (select distinct service_code, month from inserted order by 1, 2) written;
              return null;
            end $$;

            create trigger cost_postings_closed_months after insert on cost_postings
              referencing new table as inserted
              for each statement execute function refuse_closed_month_postings();
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            drop trigger cost_postings_closed_months on cost_postings;
            drop function refuse_closed_month_postings();
            drop function ensure_month_open(text, date);
            drop function closed_month_blocking(text, date);
            drop function support_downstream(text, date);
            """);
    }
}
