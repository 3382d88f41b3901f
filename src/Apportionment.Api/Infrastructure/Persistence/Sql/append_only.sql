-- Postings and audit events are append-only: corrections are reversals, never edits.
create or replace function refuse_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % is not allowed', tg_table_name, tg_op using errcode = '42501';
end $$;

create or replace trigger audit_events_append_only before update or delete on audit_events
  for each statement execute function refuse_change();
create or replace trigger audit_events_no_truncate before truncate on audit_events
  for each statement execute function refuse_change();
create or replace trigger cost_postings_append_only before update or delete on cost_postings
  for each statement execute function refuse_change();
create or replace trigger cost_postings_no_truncate before truncate on cost_postings
  for each statement execute function refuse_change();
