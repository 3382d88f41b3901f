// Review: a partnership's review pack for its joint committee (governance, method, cost by month, trading account,
// savings, indicators, agreements), as the API's pack; the PDF and Excel are the API's own downloads.
import { downloadCsv, downloadXlsx, getJson } from '../api.js';
import { button, h, heading, para, table } from '../dom.js';
import { money, moneyShort, monthAbbrev, monthLong, percent } from '../format.js';
import { barChart, lineChart } from '../charts.js';
import { filters, nothing, pageHeading } from './common.js';

const enc = encodeURIComponent;
const orNone = (value, format) => (value === null || value === undefined ? 'None' : format(value));
const room = () => document.getElementById('view');
const figure = (value) => orNone(value, (v) => Number(v).toLocaleString('en-GB', { maximumFractionDigits: 4 }));

function servicePicker(context, selected) {
  const form = h('form', { class: 'app-filters', novalidate: true },
    h('div', { class: 'govuk-form-group' },
      h('label', { class: 'govuk-label', for: 'service' }, 'Partnership'),
      h('select', { class: 'govuk-select', id: 'service', name: 'service' },
        context.services.map((s) => h('option', { value: s.code, selected: s.code === selected }, `${s.name} (${s.code})`)))),
    h('div', { class: 'govuk-form-group' },
      h('button', { type: 'submit', class: 'govuk-button govuk-button--secondary', 'data-module': 'govuk-button' }, 'Show pack')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    context.go('review', { service: form.elements.service.value });
  });
  return form;
}

export async function renderReview(context) {
  const year = context.period.slice(0, 7);
  const view = h('div', {}, pageHeading(context, `Review pack: ${year}`), filters(context, 'review'));
  if (context.services.length === 0) {
    view.append(nothing(`${context.councilName} belongs to no shared service.`));
    return view;
  }

  const wanted = new URLSearchParams(location.hash.split('?')[1] ?? '').get('service');
  const code = context.services.some((s) => s.code === wanted) ? wanted : context.services[0].code;
  const path = `/shared-services/${enc(code)}/review/${enc(year)}`;
  const pack = await getJson(path);
  const closed = pack.months.filter((m) => m.status === 'closed').length;
  const g = pack.governance;
  view.append(servicePicker(context, code),
    h('p', { class: 'govuk-body-l' }, `${pack.serviceName}, hosted by ${pack.hostCouncil}: `
      + `${closed} of ${pack.months.length} months closed, the rest provisional.`),
    h('div', { class: 'app-button-row' },
      button('Download review pack PDF', () => downloadCsv(path, 'application/pdf'), { secondary: true }),
      button('Download review pack Excel', () => downloadXlsx(path), { secondary: true })),
    heading(2, 'Governance', 'm'),
    g ? h('dl', { class: 'govuk-summary-list' }, ...[
      ['Legal basis', g.legalBasis], ['Agreement', `${g.agreementStart} to ${g.agreementEnd ?? 'open-ended'}`],
      ['Exit notice', `${g.exitNoticeMonths} months`], ['Next review', g.nextReview ?? 'None'],
      ['Business case saving a year', orNone(g.savingsTarget, money)],
    ].map(([k, v]) => h('div', { class: 'govuk-summary-list__row' },
      h('dt', { class: 'govuk-summary-list__key' }, k),
      h('dd', { class: 'govuk-summary-list__value' }, v))))
      : para('The host council has not recorded the governance facts yet.'),
    heading(2, 'Method', 'm'),
    para(`Split ${pack.method.basis}.`),
    barChart(room(), {
      title: `Each council’s share of ${pack.serviceName}, ${year}`,
      summary: pack.method.councils.map((c) => `${c.council} ${money(c.share)}`).join(', ') + '.',
      items: pack.method.councils.map((c) => ({ label: c.council, value: c.share })),
      format: money,
      formatShort: moneyShort,
    }),
    table({
      id: 'review-method', caption: 'How the cost is split', captionHidden: true,
      columns: [
        { label: 'Council', value: (c) => c.council },
        { label: 'Agreed %', numeric: true, value: (c) => orNone(c.agreedPercent, percent) },
        { label: 'Driver count', numeric: true, value: (c) => figure(c.driverCount) },
        { label: 'Share', numeric: true, value: (c) => money(c.share) },
      ],
      rows: pack.method.councils,
    }),
    heading(2, 'Cost by month', 'm'),
    lineChart(room(), {
      title: `${pack.serviceName}: net cost by month against budget and last year, ${year}`,
      summary: `Net cost ${money(pack.cost.netCost)} against a budget of ${money(pack.cost.budget)}`
        + (pack.cost.lastYear === null ? '.' : ` and ${money(pack.cost.lastYear)} last year.`),
      labels: pack.cost.months.map((m) => monthAbbrev(m.month)),
      series: [
        { name: 'Net cost', values: pack.cost.months.map((m) => m.netCost) },
        { name: 'Budget', values: pack.cost.months.map((m) => m.budget) },
        { name: 'Last year', values: pack.cost.months.map((m) => m.lastYear) },
      ],
      format: money,
      formatShort: moneyShort,
    }),
    table({
      id: 'review-cost', caption: 'Net cost by month against budget and last year', captionHidden: true, small: true,
      columns: [
        { label: 'Month', value: (m) => (m.month ? monthLong(m.month) : 'Total') },
        { label: 'Status', value: (m) => m.status ?? '' },
        { label: 'Net cost', numeric: true, value: (m) => money(m.netCost) },
        { label: 'Budget', numeric: true, value: (m) => money(m.budget) },
        { label: 'Variance', numeric: true, value: (m) => money(m.variance) },
        { label: 'Last year', numeric: true, value: (m) => orNone(m.lastYear, money) },
        { label: 'Unit cost', numeric: true, value: (m) => orNone(m.unitCost, money) },
      ],
      rows: pack.cost.months,
      totals: pack.cost,
    }),
    heading(2, 'Trading account', 'm'),
    barChart(room(), {
      title: 'Surplus (above zero) or deficit (below) by council',
      summary: pack.tradingAccount.councils.map((l) => `${l.council} ${money(l.surplusDeficit)}`).join(', ') + '.',
      items: pack.tradingAccount.councils.map((l) => ({ label: l.council, value: l.surplusDeficit })),
      format: money,
      formatShort: moneyShort,
    }),
    table({
      id: 'review-trading', caption: 'Trading account by council', captionHidden: true,
      columns: [
        { label: 'Council', value: (l) => (l.council === 'TOTAL' ? 'Total' : l.council) },
        { label: 'Budget share', numeric: true, value: (l) => money(l.budgetShare) },
        { label: 'Actual share', numeric: true, value: (l) => money(l.actualShare) },
        { label: 'Income share', numeric: true, value: (l) => money(l.incomeShare) },
        { label: 'Surplus or deficit', numeric: true, value: (l) => money(l.surplusDeficit) },
      ],
      rows: pack.tradingAccount.councils,
      totals: pack.tradingAccount.total,
    }),
    heading(2, 'Savings', 'm'),
    para(`Saving against the stand-alone baselines: ${money(pack.savings.saving)}` +
      (pack.savings.businessCaseTarget === null ? '.' : `, against a business case target of ${money(pack.savings.businessCaseTarget)} a year.`)),
    heading(2, 'Indicators', 'm'),
    pack.indicators.length === 0 ? para('No indicators are defined for this partnership.') : table({
      id: 'review-indicators', caption: 'Performance indicators, latest figures', captionHidden: true,
      columns: [
        { label: 'Indicator', value: (i) => i.name },
        { label: 'Period', value: (i) => i.latest?.period ?? 'None' },
        { label: 'Actual', numeric: true, value: (i) => figure(i.latest?.service.actual) },
        { label: 'Target', numeric: true, value: (i) => figure(i.target) },
        { label: 'Status', value: (i) => i.latest?.service.status ?? 'no-value' },
        { label: 'Trend', value: (i) => i.latest?.service.trend ?? 'None' },
      ],
      rows: pack.indicators,
    }),
    heading(2, 'Agreements during the year', 'm'),
    pack.agreements.length === 0 ? para('None.') : table({
      id: 'review-agreements', caption: 'Agreements during the year', captionHidden: true,
      columns: [
        { label: 'Effective from', value: (a) => a.effectiveFrom },
        { label: 'Method', value: (a) => a.method },
        { label: 'Status', value: (a) => a.status },
        { label: 'Approvals', value: (a) => a.approvals.map((x) => x.council).join(', ') },
      ],
      rows: pack.agreements,
    }));
  return view;
}
