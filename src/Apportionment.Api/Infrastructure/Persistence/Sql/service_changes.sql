-- Each API replica keeps the services and their members in memory, because every posting reads them. A change to
-- either tells every listening replica which service to forget (channel service_changed, payload the service's code;
-- an empty payload means forget them all). PostgreSQL delivers a notification when its transaction commits.
create or replace function notify_service_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('service_changed', coalesce(coalesce(to_jsonb(new), to_jsonb(old)) ->> tg_argv[0], ''));
  return null;
end $$;

create or replace trigger shared_services_changed after insert or update or delete on shared_services
  for each row execute function notify_service_changed('code');

create or replace trigger shared_services_truncated after truncate on shared_services
  for each statement execute function notify_service_changed('');

create or replace trigger service_members_changed after insert or update or delete on service_members
  for each row execute function notify_service_changed('service_code');

create or replace trigger service_members_truncated after truncate on service_members
  for each statement execute function notify_service_changed('');

-- A posting made from the cached service re-checks, in the same batch as its insert, what it relied on: the payer
-- is a member and the month lies in the service's run. A replica that has not yet heard of a change therefore never
-- writes a wrong posting; it reads the service afresh and tries again (SQLSTATE AP412).
create or replace function ensure_posting_service_as_read(service text, paid_by text, month date) returns void
language plpgsql stable as $$
begin
  if not exists (
    select 1
    from shared_services s
    join service_members m on m.service_code = s.code and m.council = paid_by
    where s.code = service and s.start_month <= month and (s.end_month is null or month <= s.end_month)) then
    raise exception 'The service ''%'' changed since this replica read it.', service using errcode = 'AP412';
  end if;
end $$;
