// Overview: the council's recharge statement for a year or quarter, the settlement transfers that involve it, and
// the API's own CSV of each. Prints on A4 for a committee paper.
import { downloadCsv, downloadXlsx, getJson } from '../api.js';
import { button, h, heading, para, table } from '../dom.js';
import { describePeriod, money, monthsOf, percent, sumMoney } from '../format.js';
import { filters, nothing, pageHeading } from './common.js';

const enc = encodeURIComponent;

export async function renderOverview(context) {
  const { council, councilName, period } = context;
  // The statement and the settlements of every service that has begun by the period's end, side by side.
  const lastMonth = monthsOf(period.slice(0, 7))[period.length > 7 ? Number(period.slice(-1)) * 3 - 1 : 11];
  const [statement, settlements] = await Promise.all([
    getJson(`/councils/${enc(council)}/recharge-statements/${enc(period)}`),
    Promise.all(context.services.filter((s) => s.startMonth <= lastMonth)
      .map((s) => getJson(`/shared-services/${enc(s.code)}/settlements/${enc(period)}`))),
  ]);

  const balance = statement.totals.balance;
  const position = balance > 0 ? `${councilName} owes ${money(balance)} overall`
    : balance < 0 ? `${councilName} is owed ${money(-balance)} overall` : `${councilName} is square: nothing is owed either way`;

  const statementSection = statement.lines.length === 0
    ? nothing(`${councilName} belongs to no shared service with costs in this period.`)
    : h('div', {},
      table({
        id: 'statement',
        caption: `Recharge statement, ${period}`,
        captionHidden: true,
        columns: [
          { label: 'Service', value: (l) => l.serviceName ?? 'Total' },
          { label: 'Host', value: (l) => l.hostCouncil ?? '' },
          { label: 'Net cost', numeric: true, value: (l) => (l.netCost === undefined ? '' : money(l.netCost)) },
          { label: 'Share %', numeric: true, value: (l) => (l.sharePercent === undefined ? '' : percent(l.sharePercent)) },
          { label: 'Share', numeric: true, value: (l) => money(l.share) },
          { label: 'Paid directly', numeric: true, value: (l) => money(l.paidDirectly) },
          { label: 'Balance', numeric: true, value: (l) => money(l.balance) },
        ],
        rows: statement.lines,
        totals: { ...statement.totals },
      }),
      h('div', { class: 'app-button-row' },
        button('Download statement CSV', () => downloadCsv(`/councils/${enc(council)}/recharge-statements/${enc(period)}`), { secondary: true }),
        button('Download statement Excel', () => downloadXlsx(`/councils/${enc(council)}/recharge-statements/${enc(period)}`), { secondary: true })));

  const involving = statement.lines.map((line) => settlements.find((s) => s.service === line.service)).filter(Boolean).map((s) => ({
    settlement: s, line: statement.lines.find((l) => l.service === s.service),
    transfers: s.transfers.filter((t) => t.from === council || t.to === council),
  }));
  const pays = sumMoney(involving.flatMap((x) => x.transfers.filter((t) => t.from === council).map((t) => t.amount)));
  const receives = sumMoney(involving.flatMap((x) => x.transfers.filter((t) => t.to === council).map((t) => t.amount)));
  const name = (code) => context.who.councils.find((c) => c.code === code)?.name ?? code;

  const transfers = involving.filter((x) => x.transfers.length > 0).map((x) => h('div', {},
    table({
      id: `settlement-${x.settlement.service}`,
      caption: `${x.line.serviceName}: transfers`,
      columns: [
        { label: 'From', value: (t) => `${name(t.from)} (${t.from})` },
        { label: 'To', value: (t) => `${name(t.to)} (${t.to})` },
        { label: 'Amount', numeric: true, value: (t) => money(t.amount) },
      ],
      rows: x.transfers,
    }),
    h('div', { class: 'app-button-row' },
      button(`Download ${x.settlement.service} settlement CSV`,
        () => downloadCsv(`/shared-services/${enc(x.settlement.service)}/settlements/${enc(period)}`), { secondary: true }))));

  return h('div', {},
    pageHeading(context, `Overview: ${period}`),
    h('p', { class: 'govuk-body-l' }, `${describePeriod(period)}. ${position}.`),
    filters(context, 'overview', { quarters: true }),
    h('dl', { class: 'govuk-summary-list', id: 'totals' },
      [['Share of costs', statement.totals.share], ['Paid directly', statement.totals.paidDirectly], ['Balance', statement.totals.balance],
        ['Transfers to pay', pays], ['Transfers to receive', receives]].map(([k, v]) => h('div', { class: 'govuk-summary-list__row' },
        h('dt', { class: 'govuk-summary-list__key' }, k), h('dd', { class: 'govuk-summary-list__value app-money' }, money(v))))),
    heading(2, 'Recharge statement', 'm'),
    para('Each service’s net cost is split by the agreements in force month by month. Balance is share less what ',
      councilName, ' paid directly: above zero it owes the host, below zero it is owed.'),
    statementSection,
    heading(2, 'Settlement transfers', 'm'),
    para(`The payments that leave every council bearing exactly its share, for the transfers that involve ${councilName}.`),
    transfers.length ? transfers : nothing(`No transfers involve ${councilName} in this period.`),
    h('p', { class: 'govuk-body-s app-print-only' }, `Figures as at ${new Date(statement.generatedAt).toLocaleString('en-GB')}, from the Apportionment API.`));
}
