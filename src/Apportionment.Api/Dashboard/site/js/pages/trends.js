// Trends: each service's net cost month by month through a financial year, and this council's share of it.
import { getJson } from '../api.js';
import { h, heading, para, table } from '../dom.js';
import { money, moneyShort, monthAbbrev, monthLong, monthsOf, percent, sumMoney } from '../format.js';
import { lineChart } from '../charts.js';
import { filters, nothing, pageHeading } from './common.js';

const enc = encodeURIComponent;

function describe(name, months, values) {
  const known = values.map((v, i) => ({ v, m: months[i] })).filter((x) => x.v !== null);
  if (known.length === 0) return `${name}: no figures.`;
  const high = known.reduce((a, b) => (b.v > a.v ? b : a));
  const low = known.reduce((a, b) => (b.v < a.v ? b : a));
  return `${name}: ${money(sumMoney(known.map((x) => x.v)))} over the year, highest ${money(high.v)} in ${monthLong(high.m)}, lowest ${money(low.v)} in ${monthLong(low.m)}.`;
}

export async function renderTrends(context) {
  const { council, councilName, period } = context;
  const year = period.slice(0, 7);
  const months = monthsOf(year);
  // One statement per month gives this council's share of every service; one apportionment per service its net cost.
  const statements = await Promise.all(months.map((m) => getJson(`/councils/${enc(council)}/recharge-statements/${m}`)));
  const serviceCodes = [...new Set(statements.flatMap((s) => s.lines.map((l) => l.service)))];
  const apportionments = await Promise.all(serviceCodes.map((code) => getJson(`/shared-services/${enc(code)}/apportionments/${enc(year)}`)));

  const view = h('div', {}, pageHeading(context, `Trends: ${year}`), filters(context, 'trends'),
    para(`Each service’s net cost by month, and ${councilName}’s share of it under the agreement in force that month.`));
  if (serviceCodes.length === 0) {
    view.append(nothing(`${councilName} has no shared service costs in ${year}.`));
    return view;
  }

  serviceCodes.forEach((code, n) => {
    const name = statements.flatMap((s) => s.lines).find((l) => l.service === code).serviceName;
    const byMonth = new Map(apportionments[n].months.map((m) => [m.month, m.netCost]));
    const rows = months.map((m, i) => {
      const line = statements[i].lines.find((l) => l.service === code);
      return { month: m, netCost: byMonth.get(m) ?? null, share: line ? line.share : null, percent: line ? line.sharePercent : null };
    });
    const shareName = `${councilName}’s share`;
    view.append(
      heading(2, name, 'm'),
      lineChart(document.getElementById('view'), {
        title: `${name}: net cost and ${shareName}, ${year}`,
        summary: `${describe('Net cost', months, rows.map((r) => r.netCost))} ${describe(shareName, months, rows.map((r) => r.share))}`,
        labels: months.map(monthAbbrev),
        series: [{ name: 'Net cost', values: rows.map((r) => r.netCost) }, { name: shareName, values: rows.map((r) => r.share) }],
        format: money,
        formatShort: moneyShort,
      }),
      table({
        id: `trend-${code}`,
        caption: `${name}: by month, ${year}`,
        columns: [
          { label: 'Month', value: (r) => (r.month ? monthLong(r.month) : 'Year') },
          { label: 'Net cost', numeric: true, value: (r) => (r.netCost === null ? 'No figure' : money(r.netCost)) },
          { label: 'Share %', numeric: true, value: (r) => (r.percent === null || r.percent === undefined ? '' : percent(r.percent)) },
          { label: shareName, numeric: true, value: (r) => (r.share === null ? 'No figure' : money(r.share)) },
        ],
        rows,
        totals: {
          netCost: sumMoney(rows.map((r) => r.netCost ?? 0)),
          share: sumMoney(rows.map((r) => r.share ?? 0)),
        },
      }));
  });
  return view;
}
