// What the council would pay under a proposal, from the proposal impact read: its share of the actual costs of the
// financial year the proposal takes effect in, under the agreements in force now and as if the proposal were agreed.
// Only this council's own figures are shown, although the read lists every council the proposal names.
import { ApiError, getJson } from '../api.js';
import { h, table } from '../dom.js';
import { financialYearOf, money } from '../format.js';

const enc = encodeURIComponent;

export async function impactTable(context, service, agreement) {
  const year = financialYearOf(agreement.effectiveFrom);
  let impact;
  try {
    impact = await getJson(`/shared-services/${enc(service.code)}/agreements/${enc(agreement.id)}/impact/${year}`);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return h('div', { class: 'govuk-inset-text' }, `What ${context.councilName} would pay could not be worked out: ${error.message}`);
  }
  const own = impact.councils.find((c) => c.council === context.council);
  if (!own) return null;
  const verdict = own.difference > 0 ? `${context.councilName} would pay ${money(own.difference)} more in ${year}`
    : own.difference < 0 ? `${context.councilName} would pay ${money(-own.difference)} less in ${year}`
      : `${context.councilName} would pay the same in ${year}`;
  return h('div', { class: 'app-impact' },
    h('p', { class: 'govuk-body govuk-!-font-weight-bold' }, `${verdict}.`),
    table({
      id: `impact-${agreement.id}`,
      caption: `What ${context.councilName} would pay for ${year}`,
      columns: [
        { label: 'Share of the year’s actual costs', value: (r) => r.label },
        { label: 'Amount', numeric: true, value: (r) => money(r.amount) },
      ],
      rows: [
        { label: 'Under the agreements in force now', amount: own.current },
        { label: 'If this proposal is agreed', amount: own.proposed },
        { label: 'Difference', amount: own.difference },
      ],
    }));
}
