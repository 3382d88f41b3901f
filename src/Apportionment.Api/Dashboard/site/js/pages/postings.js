// Behind the figures: the postings (costs, and the reversals that corrected them) and the activity figures that
// drive the split, for one service and the period of a statement line. From the cost ledger and activity reads.
import { getAll, getJson } from '../api.js';
import { h, heading, para, table } from '../dom.js';
import { money, monthLong, monthsOfPeriod, sumMoney } from '../format.js';
import { nothing, pageHeading, pageLink } from './common.js';

const enc = encodeURIComponent;
const quantity = (value) => (value === undefined ? 'None' : Number(value).toLocaleString('en-GB', { maximumFractionDigits: 4 }));
const dateOf = (instant) => new Date(instant).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

function reversal(p) {
  if (p.reversalOf) return `Reversal${p.reversalReason ? `: ${p.reversalReason}` : ''}`;
  return p.reversedBy ? 'Reversed' : '';
}

/** The return in use for each driver and month: the newest of the month's returns for that driver. */
async function driverFigures(code, months) {
  const returns = await Promise.all(months.map((m) => getJson(`/shared-services/${enc(code)}/activity/${m}?limit=500`)));
  return months.flatMap((month, i) => {
    const seen = new Set();
    return returns[i].items.filter((r) => !seen.has(r.driver) && seen.add(r.driver)).map((r) => ({ ...r, month }));
  });
}

export async function renderPostings(context) {
  const { council, councilName, period } = context;
  const wanted = new URLSearchParams(location.hash.split('?')[1] ?? '').get('service');
  const service = context.services.find((s) => s.code === wanted) ?? context.services[0];
  const view = h('div', {}, pageHeading(context, `Behind the figures: ${service?.name ?? 'no service'}, ${period}`),
    h('p', { class: 'govuk-body' }, pageLink(context, 'overview', {}, 'Back to the recharge statement')));
  if (!service) {
    view.append(nothing(`${councilName} belongs to no shared service.`));
    return view;
  }

  const months = monthsOfPeriod(period);
  const [postings, figures] = await Promise.all([
    getAll(`/shared-services/${enc(service.code)}/costs?period=${enc(period)}`),
    driverFigures(service.code, months),
  ]);
  postings.sort((a, b) => a.month.localeCompare(b.month) || a.postedAt.localeCompare(b.postedAt));
  const nameOf = (code) => context.who.councils.find((c) => c.code === code)?.name ?? code;
  const others = [...new Set(figures.flatMap((f) => Object.keys(f.quantities)))]
    .filter((c) => c !== council).sort();

  view.append(
    heading(2, 'Postings', 'm'),
    para(`Every cost posted to ${service.name} for ${period}. A posting is never changed: a correction is a `,
      'reversal (the same amount the other way), then a new posting.'),
    postings.length === 0 ? nothing(`Nothing has been posted to ${service.name} in ${period}.`) : table({
      id: 'postings', caption: `${service.name}: postings, ${period}`, captionHidden: true, small: true,
      columns: [
        { label: 'Month', value: (p) => (p.month ? monthLong(p.month) : 'Total') },
        { label: 'Posted', value: (p) => (p.postedAt ? dateOf(p.postedAt) : '') },
        { label: 'Reference', value: (p) => p.reference ?? '' },
        { label: 'Description', value: (p) => p.description ?? p.category ?? '' },
        { label: 'Paid by', value: (p) => p.paidBy ?? '' },
        { label: 'Reversal', value: (p) => (p.id ? reversal(p) : '') },
        { label: 'Amount', numeric: true, value: (p) => money(p.amount) },
      ],
      rows: postings,
      totals: { amount: sumMoney(postings.map((p) => p.amount)) },
    }),
    heading(2, 'Activity figures', 'm'),
    para(`The driver figures each council returned, month by month: ${councilName}’s first, then the others’. `,
      'Where the split follows activity, each council’s share of the month is its figure over the total.'),
    figures.length === 0 ? nothing(`No activity figures were returned for ${service.name} in ${period}.`) : table({
      id: 'driver-figures', caption: `${service.name}: activity figures, ${period}`, captionHidden: true, small: true,
      columns: [
        { label: 'Month', value: (f) => monthLong(f.month) },
        { label: 'Driver', value: (f) => f.driver },
        { label: councilName, numeric: true, value: (f) => quantity(f.quantities[council]) },
        ...others.map((c) => ({ label: nameOf(c), numeric: true, value: (f) => quantity(f.quantities[c]) })),
      ],
      rows: figures,
    }));
  return view;
}
