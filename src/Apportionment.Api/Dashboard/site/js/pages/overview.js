// Overview: the council's recharge statement for a year or quarter, the settlement transfers that involve it, and
// the API's own CSV of each. Prints on A4 for a committee paper.
import { downloadCsv, downloadXlsx, getJson } from '../api.js';
import { button, h, heading, para, table } from '../dom.js';
import { describePeriod, money, monthLong, monthsOf, owes, percent, sumMoney } from '../format.js';
import { filters, nothing, pageHeading, pageLink } from './common.js';
import { overheadFlows, supportServices } from './overheads.js';

const enc = encodeURIComponent;

/** Months in a row as "April to December 2025" (or one month). */
function span(months) {
  if (months.length === 0) return '';
  return months.length === 1 ? monthLong(months[0]) : `${monthLong(months[0])} to ${monthLong(months[months.length - 1])}`;
}

/**
 * "Figures as at …", and which months are final (closed for every service on the statement) and which provisional
 * (still open somewhere: a late cost or activity return can change them).
 */
async function figuresStatus(statement, period) {
  const services = statement.lines.map((l) => l.service);
  const lists = await Promise.all(services.map((s) => getJson(`/shared-services/${enc(s)}/periods?period=${enc(period)}&limit=500`)));
  const months = monthsOf(period.slice(0, 7)).filter((m) => lists.some((l) => l.items.some((p) => p.month === m)));
  const final = months.filter((m) => lists.length > 0 && lists.every((l) => l.items.find((p) => p.month === m)?.closed ?? true));
  const provisional = months.filter((m) => !final.includes(m));
  const asAt = new Date(statement.generatedAt).toLocaleString('en-GB', { dateStyle: 'long', timeStyle: 'short' });
  return h('div', { class: 'govuk-inset-text', id: 'figures-status' },
    h('p', { class: 'govuk-body' }, `Figures as at ${asAt}.`),
    h('ul', { class: 'govuk-list govuk-list--bullet' },
      h('li', {}, final.length ? `Final (months closed): ${span(final)}.` : 'Final (months closed): none yet.'),
      provisional.length ? h('li', {}, `Provisional (months still open, may change): ${span(provisional)}.`) : null));
}

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
  const posted = statement.lines.some((l) => l.netCost !== 0 || l.share !== 0 || l.paidDirectly !== 0);
  const position = !posted ? `Nothing has been posted yet for ${councilName} in ${period}`
    : balance > 0 ? `${councilName} owes ${money(balance)} overall`
      : balance < 0 ? `${councilName} is owed ${money(-balance)} overall` : `${councilName} is square: nothing is owed either way`;
  const [status, flows] = await Promise.all([figuresStatus(statement, period), overheadFlows(statement, period)]);

  const statementSection = !posted
    ? nothing(`Nothing has been posted yet for ${councilName} in ${period}: no shared service has costs in these months.`)
    : h('div', {},
      table({
        id: 'statement',
        caption: `Recharge statement, ${period}`,
        captionHidden: true,
        small: true,
        columns: [
          { label: 'Service', value: (l) => (l.serviceName
            ? pageLink(context, 'postings', { service: l.service }, l.serviceName) : 'Total') },
          { label: 'Host', value: (l) => l.hostCouncil ?? '' },
          { label: 'Net cost', numeric: true, value: (l) => (l.netCost === undefined ? '' : money(l.netCost)) },
          { label: 'Share %', numeric: true, value: (l) => (l.sharePercent === undefined ? '' : percent(l.sharePercent)) },
          { label: 'Direct', numeric: true, value: (l) => money(l.direct) },
          { label: 'Overheads', numeric: true, value: (l) => money(l.overheads) },
          { label: 'Share', numeric: true, value: (l) => money(l.share) },
          { label: 'Paid directly', numeric: true, value: (l) => money(l.paidDirectly) },
          { label: 'Balance', numeric: true, wraps: true, value: (l) => owes(l.balance) },
        ],
        rows: statement.lines,
        totals: {
          ...statement.totals,
          direct: sumMoney(statement.lines.map((l) => l.direct)),
          overheads: sumMoney(statement.lines.map((l) => l.overheads)),
        },
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
    status,
    filters(context, 'overview', { quarters: true }),
    !posted ? null : h('dl', { class: 'govuk-summary-list', id: 'totals' },
      [['Share of costs', money(statement.totals.share)], ['Paid directly', money(statement.totals.paidDirectly)],
        ['Balance', owes(statement.totals.balance)], ['Transfers to pay', money(pays)], ['Transfers to receive', money(receives)]]
        .map(([k, v]) => h('div', { class: 'govuk-summary-list__row' },
          h('dt', { class: 'govuk-summary-list__key' }, k), h('dd', { class: 'govuk-summary-list__value app-money' }, v)))),
    heading(2, 'Recharge statement', 'm'),
    para('Each service’s net cost is split by the agreements in force month by month. Share is direct (the council’s part ',
      'of the service’s own cost) plus overheads (its part of the support services’ costs passed on to the service). ',
      'Balance is share less what ', councilName, ' paid directly: what it owes the host, or is owed.'),
    statementSection,
    posted ? para('Select a service to see the postings and activity figures behind its line.') : null,
    posted ? supportServices(context, statement, flows) : null,
    heading(2, 'Settlement transfers', 'm'),
    para(`The payments that leave every council bearing exactly its share, for the transfers that involve ${councilName}.`),
    transfers.length ? transfers : nothing(`No transfers involve ${councilName} in this period.`),
    h('p', { class: 'govuk-body-s app-print-only' }, 'From the Apportionment API.'));
}
