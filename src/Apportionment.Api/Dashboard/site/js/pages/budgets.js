// Budgets: budget, actual to date, forecast and status per service, from the budget monitoring read.
import { h } from '../dom.js';
import { pageHeading } from './common.js';

export async function renderBudgets(context) {
  return h('div', {}, pageHeading(context, 'Budgets'),
    h('p', { class: 'govuk-body' }, 'Budget monitoring is not available from this service yet.'));
}
