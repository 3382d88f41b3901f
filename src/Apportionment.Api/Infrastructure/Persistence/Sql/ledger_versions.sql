-- A version per service that moves with anything a ledger read of the service depends on, so that an API replica may
-- keep a council's statement it has computed and answer it again for as long as the versions it was computed at are
-- still the current ones (Features/Ledger/StatementCache.cs). Postings move it in add_to_cost_totals (cost_totals.sql),
-- in the statement that inserts them; every other table a ledger read uses moves it here. A support agreement moves
-- the services it supports too, so a read whose support closure it joins, leaves or changes moves as well.
-- Versions come from one sequence, so a version is never given twice, even to a service dropped and made again.
create sequence if not exists ledger_version_seq;

create table if not exists ledger_versions (
  service_code varchar(200) primary key,
  version bigint not null
);

-- Rows are taken in service order, as cost_totals are, so that two transactions moving several services never wait
-- for each other in a cycle.
create or replace function bump_ledger_versions(services text[]) returns void language sql as $$
  insert into ledger_versions (service_code, version)
  select code, nextval('ledger_version_seq')
  from (select distinct code from unnest(services) as code where code is not null order by code) touched
  on conflict (service_code) do update set version = excluded.version;
$$;

-- tg_argv[0] names the column holding the row's service. A share belongs to its agreement's service; a support
-- agreement touches the services it supports as well as its own.
create or replace function bump_ledger_version_of_row() returns trigger language plpgsql as $$
declare
  touched text[] := '{}';
  r jsonb;
begin
  foreach r in array array_remove(array[to_jsonb(new), to_jsonb(old)], null) loop
    if tg_table_name = 'agreement_share' then
      touched := touched || array(
        select a.service_code::text from split_agreements a where a.id = (r ->> 'agreement_id')::uuid);
    else
      touched := touched || (r ->> tg_argv[0]);
    end if;
    if tg_table_name = 'split_agreements' then
      touched := touched || array(select jsonb_array_elements_text(coalesce(r -> 'supports', '[]')));
    end if;
  end loop;
  perform bump_ledger_versions(touched);
  return null;
end $$;

create or replace trigger shared_services_ledger_version after insert or update or delete on shared_services
  for each row execute function bump_ledger_version_of_row('code');

create or replace trigger service_members_ledger_version after insert or update or delete on service_members
  for each row execute function bump_ledger_version_of_row('service_code');

create or replace trigger split_agreements_ledger_version after insert or update or delete on split_agreements
  for each row execute function bump_ledger_version_of_row('service_code');

create or replace trigger agreement_share_ledger_version after insert or update or delete on agreement_share
  for each row execute function bump_ledger_version_of_row('agreement_id');

create or replace trigger activity_returns_ledger_version after insert or update or delete on activity_returns
  for each row execute function bump_ledger_version_of_row('service_code');

create or replace trigger closed_months_ledger_version after insert or update or delete on closed_months
  for each row execute function bump_ledger_version_of_row('service_code');

create or replace trigger invoices_ledger_version after insert or update or delete on invoices
  for each row execute function bump_ledger_version_of_row('service_code');

-- What a replica checks before answering a statement it keeps: the services the council belongs to now, and the
-- version of each service its statement read (those and the support services feeding them), in service order.
create or replace function ledger_stamp(of_council text, services text[])
returns table (members text[], versions text[]) language sql stable as $$
  select
    array(select m.service_code::text from service_members m where m.council = of_council order by 1),
    array(select v.service_code || '=' || v.version from ledger_versions v
          where v.service_code = any(services) order by v.service_code);
$$;
