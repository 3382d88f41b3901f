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
            -- The seeds and every service reachable from them over agreed support agreements in force at some month of
            -- [from_month, until_month) (until_month null: open-ended), sorted (the order locks are taken in). For one month
            -- that is exactly the agreements in force that month; over a range, a link in force in any of its months counts
            -- for all of them (an agreement change is checked over the months it governs), which can only over-protect.
            -- plpgsql rather than SQL: plpgsql keeps the query's plan for the session, and this runs on every posting.
            create function support_downstream(seeds text[], from_month date, until_month date) returns text[]
            language plpgsql stable as $$
            declare
              reached text[];
            begin
              -- UNION (not UNION ALL) drops services already reached, so a support cycle ends.
              with recursive downstream(code) as (
                select unnest(seeds)
                union
                select supported.code
                from downstream
                join split_agreements a on a.service_code = downstream.code and a.status = 'agreed' and cardinality(a.supports) > 0
                cross join lateral unnest(a.supports) as supported(code)
                where (until_month is null or a.effective_from < until_month)
                  and not exists (select 1 from split_agreements later
                                  where later.service_code = a.service_code and later.status = 'agreed'
                                    and later.effective_from > a.effective_from and later.effective_from <= from_month)
              )
              select array_agg(code order by code) into reached from downstream;
              return reached;
            end $$;

            -- The first service closed for the month among the service and those downstream of it (the service itself
            -- first), or null. Takes the shared locks first; plpgsql runs the check as a new statement with a new snapshot.
            create function closed_month_blocking(service text, month date) returns text
            language plpgsql volatile as $$
            declare
              affected text[] := support_downstream(array[service], month, (month + interval '1 month')::date);
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
            drop function support_downstream(text[], date, date);
            """);
    }
}
