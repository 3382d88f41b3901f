// Savings against what the council would have spent alone: this year per service, and since each partnership began.
import { getJson } from '../api.js';
import { h, heading, para, table } from '../dom.js';
import { money, moneyShort, monthLong, sumMoney } from '../format.js';
import { barChart } from '../charts.js';
import { filters, nothing, pageHeading } from './common.js';

const enc = encodeURIComponent;

function summarise(items, councilName, what) {
  if (items.length === 0) return `${councilName} has no savings figures ${what}.`;
  const total = sumMoney(items.map((i) => i.value));
  const best = [...items].sort((a, b) => b.value - a.value)[0];
  return `${councilName} saved ${money(total)} ${what} across ${items.length} service${items.length === 1 ? '' : 's'}; the most, ${money(best.value)}, on ${best.label}.`;
}

export async function renderSavings(context) {
  const { council, councilName, period, services } = context;
  const year = period.slice(0, 7);
  const thisYear = await getJson(`/councils/${enc(council)}/savings/${enc(year)}`);
  // Each service's cumulative read lists every member; the dashboard keeps only this council's row.
  const cumulative = (await Promise.all(services
    .filter((s) => s.startMonth <= `${Number(year.slice(0, 4)) + 1}-03`)
    .map(async (s) => ({ service: s, savings: await getJson(`/shared-services/${enc(s.code)}/savings?to=${enc(year)}`) }))))
    .map(({ service, savings }) => ({ service, row: savings.councils.find((c) => c.council === council) }))
    .filter((x) => x.row);

  const view = h('div', {}, pageHeading(context, `Savings: ${year}`), filters(context, 'savings'));
  const yearItems = thisYear.services.map((s) => ({ label: s.serviceName, value: s.saving }));
  view.append(heading(2, `This financial year, ${year}`, 'm'),
    para('Saving is the stand-alone baseline (what the council spent alone) less its share of the shared service.'));
  if (yearItems.length === 0) {
    view.append(nothing(`${councilName} has no savings figures for ${year}.`));
  } else {
    view.append(
      barChart(document.getElementById('view'), {
        title: `Savings by service, ${year}`, summary: summarise(yearItems, councilName, `in ${year}`),
        items: yearItems, format: money, formatShort: moneyShort,
      }),
      table({
        id: 'savings-year',
        caption: `Savings by service, ${year}`,
        columns: [
          { label: 'Service', value: (s) => s.serviceName ?? 'Total' },
          { label: 'Baseline', numeric: true, value: (s) => money(s.baseline) },
          { label: 'Share', numeric: true, value: (s) => money(s.share) },
          { label: 'Saving', numeric: true, value: (s) => money(s.saving) },
        ],
        rows: thisYear.services,
        totals: thisYear.totals,
      }));
  }

  const sinceItems = cumulative.map((x) => ({ label: x.service.name, value: x.row.saving }));
  view.append(heading(2, `Since each partnership began, to the end of ${year}`, 'm'));
  if (sinceItems.length === 0) {
    view.append(nothing(`${councilName} has no savings figures to the end of ${year}.`));
  } else {
    view.append(
      barChart(document.getElementById('view'), {
        title: `Cumulative savings by service to ${year}`, summary: summarise(sinceItems, councilName, `since its partnerships began`),
        items: sinceItems, format: money, formatShort: moneyShort,
      }),
      table({
        id: 'savings-cumulative',
        caption: `Cumulative savings by service to ${year}`,
        columns: [
          { label: 'Service', value: (x) => x.service?.name ?? 'Total' },
          { label: 'Since', value: (x) => (x.service ? monthLong(x.service.startMonth) : '') },
          { label: 'Baseline', numeric: true, value: (x) => money(x.row.baseline) },
          { label: 'Share', numeric: true, value: (x) => money(x.row.share) },
          { label: 'Saving', numeric: true, value: (x) => money(x.row.saving) },
        ],
        rows: cumulative,
        totals: {
          row: {
            baseline: sumMoney(cumulative.map((x) => x.row.baseline)),
            share: sumMoney(cumulative.map((x) => x.row.share)),
            saving: sumMoney(cumulative.map((x) => x.row.saving)),
          },
        },
      }));
  }

  return view;
}
