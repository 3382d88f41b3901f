-- The seeds and every service reachable from them over agreed support agreements in force at some month of
-- [from_month, until_month) (until_month null: open-ended), sorted (the order locks are taken in). For one month
-- that is exactly the agreements in force that month; over a range, a link in force in any of its months counts
-- for all of them (an agreement change is checked over the months it governs), which can only over-protect.
-- plpgsql rather than SQL: plpgsql keeps the query's plan for the session, and this runs on every posting.
create or replace function support_downstream(seeds text[], from_month date, until_month date) returns text[]
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
