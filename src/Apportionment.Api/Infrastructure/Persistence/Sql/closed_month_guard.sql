-- A closed month's issued figures cannot change, whatever writes to the ledger: single postings, reversals and COPY
-- batches alike. The check runs after the shared advisory lock that closing a month takes exclusively, in a statement
-- of its own, so it sees a close that committed while it waited. Needs support_downstream.sql.
-- The first service closed for the month among the service and those downstream of it (the service itself
-- first), or null. Takes the shared locks first; plpgsql runs the check as a new statement with a new snapshot.
create or replace function closed_month_blocking(service text, month date) returns text
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
create or replace function ensure_month_open(service text, month date) returns void
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

create or replace function refuse_closed_month_postings() returns trigger language plpgsql as $$
begin
  perform ensure_month_open(written.service_code, written.month)
  from (select distinct service_code, month from inserted order by 1, 2) written;
  return null;
end $$;

create or replace trigger cost_postings_closed_months after insert on cost_postings
  referencing new table as inserted
  for each statement execute function refuse_closed_month_postings();
