-- Everything a ledger read (a statement, savings, budgets, reports) needs, as one result set of tagged rows, with the
-- support closure walked once: the services asked for (seeds, or every service of_council belongs to) and every
-- support service whose agreed support agreements in force by last_month can carry cost to them, directly or
-- through other support services. Before, each of the read's six statements walked that closure again.
--
-- The rows come part by part, in this order (the reader relies on it, and on each part's own order):
--   member     of_council only: one row per service it belongs to (service), one row with a null service when it
--              belongs to none, no row at all when there is no such council
--   service    service, name, host_council, month (its first month), end_month
--   total      service, month, council (who paid), amount: cost_totals of the period
--   agreement  one row per share (one with a null council when it has none), in agreement id then council order:
--              agreement_id, service, month (effective from), method, driver, councils, supports,
--              support_percents, agreed_at, council, amount (the share's percent)
--   activity   service, driver, month, quantities: the latest return per service, driver and month of the period,
--              for the drivers an agreement (or the proposal, proposal_driver) uses
--   close      with_closes only: service, month, closed_at, name (the service's name when the month closed), for
--              the services asked for (not the support services feeding them)
--   invoice    with_closes and of_council only: by service, the council's invoices received for the period:
--              amount (net on account), paid, gross; a cancelled invoice and the credit note cancelling it left out
--   version    with_closes and of_council only (a statement, which a replica may keep): service, name (the
--              service's ledger version as code=version, ledger_versions.sql), for every service read, in the same
--              snapshot as the figures
-- plpgsql rather than SQL: the closure is kept in a variable for the parts that follow, and the parts' plans are
-- kept for the session.
create or replace function ledger_rows(
  seeds text[], of_council text, first_month date, last_month date, proposal_driver text, with_closes boolean)
returns table (
  part text, service text, month date, name text, host_council text, end_month date, council text, amount numeric,
  agreement_id uuid, method text, driver text, councils text[], supports text[], support_percents jsonb,
  agreed_at timestamptz, quantities jsonb, closed_at timestamptz, paid numeric, gross numeric)
language plpgsql stable as $$
#variable_conflict use_column
declare
  wanted text[] := seeds;
  reach text[];
begin
  if of_council is not null then
    return query
      select 'member', m.service_code::text, null::date, null, null, null::date, null, null::numeric, null::uuid,
             null, null, null::text[], null::text[], null::jsonb, null::timestamptz, null::jsonb, null::timestamptz,
             null::numeric, null::numeric
      from councils c left join service_members m on m.council = c.code where c.code = of_council;
    wanted := array(select m.service_code::text from service_members m where m.council = of_council);
  end if;

  -- UNION (not UNION ALL) drops services already reached, so a support cycle ends.
  with recursive reached(code) as (
    select unnest(wanted)
    union
    select a.service_code::text from split_agreements a join reached r on r.code = any(a.supports)
    where a.status = 'agreed' and a.effective_from <= last_month and cardinality(a.supports) > 0
  )
  select coalesce(array_agg(code), '{}') into reach from reached;

  return query
    select 'service', s.code::text, s.start_month, s.name::text, s.host_council::text, s.end_month, null, null::numeric,
           null::uuid, null, null, null::text[], null::text[], null::jsonb, null::timestamptz, null::jsonb,
           null::timestamptz, null::numeric, null::numeric
    from shared_services s where s.code = any(reach);

  return query
    select 'total', t.service_code::text, t.month, null, null, null::date, t.paid_by::text, t.amount::numeric,
           null::uuid, null, null, null::text[], null::text[], null::jsonb, null::timestamptz, null::jsonb,
           null::timestamptz, null::numeric, null::numeric
    from cost_totals t where t.service_code = any(reach) and t.month between first_month and last_month;

  -- Ordered as EF Core ordered its include (agreement, then share), so rules and tie-breaks see the same order.
  return query
    select 'agreement', a.service_code::text, a.effective_from, null, null, null::date, s.council::text,
           s.percent::numeric, a.id, a.method::text, a.driver::text, a.councils, a.supports, a.support_percents,
           a.agreed_at, null::jsonb, null::timestamptz, null::numeric, null::numeric
    from split_agreements a left join agreement_share s on s.agreement_id = a.id
    where a.service_code = any(reach) and a.status = 'agreed' and a.effective_from <= last_month
    order by a.id, s.council;

  -- Only drivers an agreement (or the proposal) uses, as an array so the (service, driver, month, id) index is used.
  return query
    select distinct on (r.service_code, r.driver, r.month)
           'activity', r.service_code::text, r.month, null, null, null::date, null, null::numeric, null::uuid, null,
           r.driver::text, null::text[], null::text[], null::jsonb, null::timestamptz, r.quantities, null::timestamptz,
           null::numeric, null::numeric
    from activity_returns r
    where r.service_code = any(reach) and r.month between first_month and last_month
      and r.driver = any(array(
          select a.driver::text from split_agreements a
          where a.service_code = any(reach) and a.status = 'agreed' and a.effective_from <= last_month
            and a.driver is not null
          union select proposal_driver))
    order by r.service_code, r.driver, r.month, r.id desc;

  if with_closes then
    return query
      select 'close', c.service_code::text, c.month, c.service_name::text, null, null::date, null, null::numeric,
             null::uuid, null, null, null::text[], null::text[], null::jsonb, null::timestamptz, null::jsonb,
             c.closed_at, null::numeric, null::numeric
      from closed_months c where c.service_code = any(wanted) and c.month between first_month and last_month;
  end if;

  if with_closes and of_council is not null then
    return query
      select 'invoice', i.service_code::text, null::date, null, null, null::date, null,
             coalesce(sum(i.net) filter (where i.kind = 'on-account'), 0)::numeric, null::uuid, null, null,
             null::text[], null::text[], null::jsonb, null::timestamptz, null::jsonb, null::timestamptz,
             sum(i.paid)::numeric, sum(i.gross)::numeric
      from invoices i
      where i.council = of_council and i.period_first >= first_month and i.period_last <= last_month
        and i.status <> 'cancelled' and i.cancels is null
      group by i.service_code;

    -- In ledger_stamp's own form, so a kept statement compares like with like.
    return query
      select 'version', split_part(v, '=', 1), null::date, v, null, null::date, null, null::numeric, null::uuid, null,
             null, null::text[], null::text[], null::jsonb, null::timestamptz, null::jsonb, null::timestamptz,
             null::numeric, null::numeric
      from unnest((select s.versions from ledger_stamp(of_council, reach) s)) as v;
  end if;
end $$;
