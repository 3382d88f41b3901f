// Trends: each service's net cost month by month through a financial year, against the same month a year earlier
// and the budget profile (the year's budget month by month), and this council's share of it.
import { getJson } from '../api.js';
import { h, heading, para, table } from '../dom.js';
import { money, moneyShort, monthAbbrev, monthLong, monthsOf, percent, sumMoney } from '../format.js';
import { lineChart } from '../charts.js';
import { filters, nothing, pageHeading } from './common.js';

const enc = encodeURIComponent;
const orNone = (v) => (v === null || v === undefined ? 'No figure' : money(v));

function describe(name, months, values) {
  const known = values.map((v, i) => ({ v, m: months[i] })).filter((x) => x.v !== null);
  if (known.length === 0) return `${name}: no figures.`;
  const high = known.reduce((a, b) => (b.v > a.v ? b : a));
  const low = known.reduce((a, b) => (b.v < a.v ? b : a));
  return `${name}: ${money(sumMoney(known.map((x) => x.v)))} over the year, highest ${money(high.v)} in ${monthLong(high.m)}, lowest ${money(low.v)} in ${monthLong(low.m)}.`;
}

/** The review pack's cost by month: budget profile and last year's figure beside this year's (none if unreadable). */
const costByMonth = (code, year) => getJson(`/shared-services/${enc(code)}/review/${enc(year)}`)
  .then((pack) => new Map(pack.cost.months.map((m) => [m.month, m])), () => new Map());

const total = (rows, field) => (rows.every((r) => r[field] === null) ? null : sumMoney(rows.map((r) => r[field] ?? 0)));

export async function renderTrends(context) {
  const { council, councilName, period } = context;
  const year = period.slice(0, 7);
  const months = monthsOf(year);
  // One statement per month gives this council's share of every service; one apportionment per service its net cost.
  const statements = await Promise.all(months.map((m) => getJson(`/councils/${enc(council)}/recharge-statements/${m}`)));
  const serviceCodes = [...new Set(statements.flatMap((s) => s.lines.map((l) => l.service)))];
  const [apportionments, costs] = await Promise.all([
    Promise.all(serviceCodes.map((code) => getJson(`/shared-services/${enc(code)}/apportionments/${enc(year)}`))),
    Promise.all(serviceCodes.map((code) => costByMonth(code, year))),
  ]);

  const view = h('div', {}, pageHeading(context, `Trends: ${year}`), filters(context, 'trends'),
    para(`Each service’s net cost by month against the same month last year and the budget profile, and `,
      `${councilName}’s share of it under the agreement in force that month.`));
  if (serviceCodes.length === 0) {
    view.append(nothing(`${councilName} has no shared service costs in ${year}.`));
    return view;
  }

  serviceCodes.forEach((code, n) => {
    const name = statements.flatMap((s) => s.lines).find((l) => l.service === code).serviceName;
    const byMonth = new Map(apportionments[n].months.map((m) => [m.month, m.netCost]));
    const rows = months.map((m, i) => {
      const line = statements[i].lines.find((l) => l.service === code);
      const cost = costs[n].get(m);
      return {
        month: m,
        netCost: byMonth.get(m) ?? null,
        lastYear: cost?.lastYear ?? null,
        budget: cost ? cost.budget : null,
        share: line ? line.share : null,
        percent: line ? line.sharePercent : null,
      };
    });
    const shareName = `${councilName}’s share`;
    view.append(
      heading(2, name, 'm'),
      lineChart(document.getElementById('view'), {
        title: `${name}: net cost against last year and the budget, ${year}`,
        summary: [['Net cost', 'netCost'], ['Last year', 'lastYear'], ['Budget', 'budget']]
          .map(([label, field]) => describe(label, months, rows.map((r) => r[field]))).join(' '),
        labels: months.map(monthAbbrev),
        series: [
          { name: 'Net cost', values: rows.map((r) => r.netCost) },
          { name: 'Last year', values: rows.map((r) => r.lastYear) },
          { name: 'Budget', values: rows.map((r) => r.budget) },
        ],
        format: money,
        formatShort: moneyShort,
      }),
      table({
        id: `trend-${code}`,
        caption: `${name}: by month, ${year}`,
        small: true,
        columns: [
          { label: 'Month', value: (r) => (r.month ? monthLong(r.month) : 'Year') },
          { label: 'Net cost', numeric: true, value: (r) => orNone(r.netCost) },
          { label: 'Last year', numeric: true, value: (r) => orNone(r.lastYear) },
          { label: 'Budget', numeric: true, value: (r) => orNone(r.budget) },
          { label: 'Against budget', numeric: true, value: (r) => (r.netCost === null || r.budget === null ? '' : money(sumMoney([r.netCost, -r.budget]))) },
          { label: 'Share %', numeric: true, value: (r) => (r.percent === null || r.percent === undefined ? '' : percent(r.percent)) },
          { label: shareName, numeric: true, value: (r) => orNone(r.share) },
        ],
        rows,
        totals: {
          netCost: sumMoney(rows.map((r) => r.netCost ?? 0)),
          lastYear: total(rows, 'lastYear'),
          budget: total(rows, 'budget'),
          share: sumMoney(rows.map((r) => r.share ?? 0)),
        },
      }));
  });
  return view;
}
