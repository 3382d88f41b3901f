// Budgets: each service's budget, actual to date, forecast outturn and status, and this council's share of each,
// from the council's budget monitoring read (and its CSV).
import { downloadCsv, downloadXlsx, getJson } from '../api.js';
import { button, h, heading, para, table } from '../dom.js';
import { currentMonth, fromPence, money, monthLong, monthsOf, pence, percent } from '../format.js';
import { filters, nothing, pageHeading } from './common.js';

const enc = encodeURIComponent;

// The status is written in words; the tag's colour only repeats it.
const statuses = {
  'on-track': ['On track', 'govuk-tag--green'],
  'at-risk': ['At risk', 'govuk-tag--yellow'],
  over: ['Over budget', 'govuk-tag--red'],
};

const tag = (status) => {
  const [text, cls] = statuses[status] ?? [status, 'govuk-tag--grey'];
  return h('strong', { class: `govuk-tag ${cls}` }, text);
};

/** A finished year's result in words, with the variance as a share of the budget: "Overspent by 3.2%". */
function outcome(s) {
  const share = s.budget === 0 ? '' : ` by ${percent(Math.abs(s.forecastVariance / s.budget) * 100, 1)}`;
  if (s.forecastVariance > 0) return h('strong', { class: 'govuk-tag govuk-tag--red' }, `Overspent${share}`);
  if (s.forecastVariance < 0) return h('strong', { class: 'govuk-tag govuk-tag--green' }, `Underspent${share}`);
  return h('strong', { class: 'govuk-tag govuk-tag--green' }, 'On budget');
}

export async function renderBudgets(context) {
  const { council, councilName, period } = context;
  const year = period.slice(0, 7);
  const path = `/councils/${enc(council)}/budget-monitoring/${enc(year)}`;
  const monitoring = await getJson(path);
  const view = h('div', {}, pageHeading(context, `Budgets: ${year}`), filters(context, 'budgets'));
  if (monitoring.services.length === 0) {
    view.append(nothing(`No shared service of ${councilName} has a budget for ${year}.`));
    return view;
  }

  const t = monitoring.totals;
  // Once the year is over there is no forecast and nothing "at risk": only what was spent against the budget.
  const finished = monthsOf(year)[11] < currentMonth();
  const asOf = monitoring.asOf ? `As of the end of ${monthLong(monitoring.asOf)}` : 'Before any month has costs';
  const direction = t.forecastVariance > 0 ? `${money(t.forecastVariance)} over`
    : t.forecastVariance < 0 ? `${money(-t.forecastVariance)} under`
    : 'exactly on';
  const over = monitoring.services.filter((s) => s.status !== 'on-track');
  view.append(
    h('p', { class: 'govuk-body-l' },
      `${asOf}, ${councilName}’s share of its services is forecast at ${money(t.forecastShare)}, `
        + `${direction} its share of the budgets (${money(t.budgetShare)}).`),
    finished ? para(`${year} has ended: each service’s outturn against its budget, overspent or underspent.`)
      : para(over.length === 0 ? 'Every service is on track.'
        : `${over.length} of ${monitoring.services.length} services need attention: `
          + `${over.map((s) => `${s.serviceName} (${statuses[s.status]?.[0] ?? s.status})`).join(', ')}.`),
    heading(2, 'Each service', 'm'),
    para('The whole partnership’s figures. Forecast outturn is actual to date plus the budget profiled for the months '
      + 'left; variance is forecast less budget.'),
    table({
      id: 'budgets-services',
      caption: `Budget monitoring by service, ${year}`,
      captionHidden: true,
      small: true,
      columns: [
        { label: 'Service', value: (s) => s.serviceName },
        { label: 'Budget', numeric: true, value: (s) => money(s.budget) },
        { label: 'Target', numeric: true, value: (s) => (s.target === undefined || s.target === null ? 'None' : money(s.target)) },
        { label: 'Actual to date', numeric: true, value: (s) => money(s.actualToDate) },
        { label: finished ? 'Outturn' : 'Forecast outturn', numeric: true, value: (s) => money(s.forecastOutturn) },
        { label: finished ? 'Variance' : 'Forecast variance', numeric: true, value: (s) => money(s.forecastVariance) },
        { label: finished ? 'Result' : 'Status', value: (s) => (finished ? outcome(s) : tag(s.status)) },
      ],
      rows: monitoring.services,
    }),
    heading(2, `${councilName}’s share`, 'm'),
    para('Budgets are split by the agreements in force month by month, to the penny, like the costs.'),
    table({
      id: 'budgets-shares',
      caption: `${councilName}’s share of each budget, ${year}`,
      captionHidden: true,
      columns: [
        { label: 'Service', value: (s) => s.serviceName ?? 'Total' },
        { label: 'Budget share', numeric: true, value: (s) => money(s.budgetShare) },
        { label: 'Actual share to date', numeric: true, value: (s) => money(s.actualShare) },
        { label: 'Forecast share', numeric: true, value: (s) => money(s.forecastShare) },
        { label: 'Forecast variance', numeric: true, value: (s) => money(s.forecastVariance) },
      ],
      rows: monitoring.services.map((s) => ({ ...s, forecastVariance: fromPence(pence(s.forecastShare) - pence(s.budgetShare)) })),
      totals: t,
    }),
    h('div', { class: 'app-button-row' }, button('Download budget monitoring CSV', () => downloadCsv(path), { secondary: true }),
      button('Download budget monitoring Excel', () => downloadXlsx(path), { secondary: true })));
  return view;
}
