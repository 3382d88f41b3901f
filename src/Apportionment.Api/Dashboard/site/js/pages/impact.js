// What the council would pay under a proposal: the proposal impact read of the budgets feature. Until the service
// offers that read, the page says so rather than guessing a figure.
import { h } from '../dom.js';

export async function impactTable() {
  return h('div', { class: 'govuk-inset-text' }, 'What your council would pay under this proposal is not available from this service yet.');
}
