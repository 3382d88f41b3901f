// Support services on the statement: how much overhead each passed on, and to which services (or councils), so the
// overheads on the other lines can be traced to where they came from. From the overhead-flows read.
import { getJson } from '../api.js';
import { h, heading, para, table } from '../dom.js';
import { money, sumMoney } from '../format.js';
import { pageLink } from './common.js';

const enc = encodeURIComponent;

/** Each statement line's overhead flows for the period, read side by side. */
export const overheadFlows = (statement, period) => Promise.all(statement.lines.map(
  (l) => getJson(`/shared-services/${enc(l.service)}/overhead-flows/${enc(period)}`)));

/** Flows summed over the period's months, per recipient, largest first. */
function passedTo(flows, service) {
  const totals = new Map();
  for (const f of flows.filter((x) => x.from === service)) {
    const key = `${f.toKind}:${f.to}`;
    const seen = totals.get(key) ?? { to: f.to, toKind: f.toKind, amounts: [] };
    seen.amounts.push(f.amount);
    totals.set(key, seen);
  }
  return [...totals.values()].map((t) => ({ ...t, amount: sumMoney(t.amounts) }))
    .sort((a, b) => b.amount - a.amount || a.to.localeCompare(b.to));
}

export function supportServices(context, statement, flowsByLine) {
  const name = (code, kind) => (kind === 'service'
    ? statement.lines.find((l) => l.service === code)?.serviceName ?? code
    : context.who.councils.find((c) => c.code === code)?.name ?? code);
  const support = statement.lines.map((line, i) => ({ line, read: flowsByLine[i] }))
    .filter((x) => x.read.passedOn !== 0);
  if (support.length === 0) return null;
  return h('div', { id: 'support-services' },
    heading(2, 'What support services passed on', 'm'),
    para('A support service’s cost is passed on to the services it supports (or to councils directly), and arrives ',
      'there as overheads. Its own line on the statement is what is left after passing on.'),
    support.map(({ line, read }) => {
      const rows = passedTo(read.flows, line.service);
      return h('div', {},
        heading(3, line.serviceName, 's'),
        para(`Direct cost ${money(read.directCost)}, received ${money(read.received)}, `
          + `passed on ${money(read.passedOn)}, left ${money(read.total)}.`),
        table({
          id: `passed-on-${line.service}`,
          caption: `${line.serviceName}: overheads passed on`,
          columns: [
            { label: 'Passed to', value: (r) => (r.to === null ? 'Total'
              : r.toKind === 'service' && context.services.some((s) => s.code === r.to) ? pageLink(context, 'postings', { service: r.to }, name(r.to, r.toKind))
                : `${name(r.to, r.toKind)} (${r.to}), directly`) },
            { label: 'Amount', numeric: true, value: (r) => money(r.amount) },
          ],
          rows,
          totals: { to: null, amount: read.passedOn },
        }));
    }));
}
