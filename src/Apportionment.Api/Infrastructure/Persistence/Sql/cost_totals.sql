-- The per (service, month, payer) totals move in the same statement as every insert into the ledger, COPY included,
-- and so do the versions of the services posted to (ledger_versions.sql: a replica's kept statements depend on them).
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
  perform bump_ledger_versions(array(select distinct service_code::text from inserted));
  return null;
end $$;

create or replace trigger cost_postings_totals after insert on cost_postings
  referencing new table as inserted
  for each statement execute function add_to_cost_totals();
