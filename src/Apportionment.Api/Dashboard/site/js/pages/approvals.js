// Approvals: proposed split agreements that name this council and wait for its approval, with what the council
// would pay under each, and an Approve button when the key may approve.
import { ApiError, getJson, postJson } from '../api.js';
import { banner, button, h, para } from '../dom.js';
import { monthLong, percent } from '../format.js';
import { nothing, pageHeading } from './common.js';
import { impactTable } from './impact.js';

const enc = encodeURIComponent;

function describeSplit(agreement, name) {
  if (agreement.method === 'fixed') return agreement.shares.map((s) => `${name(s.council)} ${percent(s.percent)}`).join(', ');
  if (agreement.method === 'equal') return `Equal shares between ${agreement.councils.map(name).join(', ')}`;
  return `By ${agreement.driver ?? 'activity'} (each council’s share of the month’s activity)`;
}

export async function renderApprovals(context, notice) {
  const { council, councilName } = context;
  const name = (code) => context.who.councils.find((c) => c.code === code)?.name ?? code;
  // One read lists them all, including support agreements into this council's services from services it is not in.
  const waiting = (await getJson(`/councils/${enc(council)}/awaiting-approval`))
    .map((w) => ({ service: { code: w.service, name: w.serviceName }, agreement: w.agreement }));

  const view = h('div', {}, notice ?? null, pageHeading(context, 'Approvals'),
    para(`Proposed split agreements that name ${councilName} and wait for its approval. An agreement comes into force when every council it names has approved it.`));
  if (!context.canApprove) {
    view.append(h('div', { class: 'govuk-inset-text' },
      'This key can read agreements but not approve them: approving needs a key with the agreements:approve scope.'));
  }

  if (waiting.length === 0) {
    view.append(nothing(`No agreements are waiting for ${councilName}’s approval.`));
    return view;
  }

  for (const { service, agreement } of waiting) {
    const headingId = `agreement-${agreement.id}`;
    // A person who approved with their council's account is named beside the council.
    const approved = agreement.approvals.map((a) => (a.approvedByName ? `${name(a.council)} (${a.approvedByName})` : name(a.council)));
    const section = h('section', { class: 'govuk-!-margin-bottom-8', 'aria-labelledby': headingId },
      h('h2', { class: 'govuk-heading-m', id: headingId }, `${service.name}: from ${monthLong(agreement.effectiveFrom)}`),
      h('dl', { class: 'govuk-summary-list' },
        [['Split', describeSplit(agreement, name)],
          ['Takes effect', monthLong(agreement.effectiveFrom)],
          ['Proposed', new Date(agreement.proposedAt).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' })],
          ['Approved by', approved.length ? approved.join(', ') : 'Nobody yet'],
          ['Waiting for', agreement.awaitingApproval.map(name).join(', ')]]
          .map(([k, v]) => h('div', { class: 'govuk-summary-list__row' },
            h('dt', { class: 'govuk-summary-list__key' }, k), h('dd', { class: 'govuk-summary-list__value' }, v)))),
      await impactTable(context, service, agreement));
    if (context.canApprove) {
      section.append(button(`Approve for ${councilName}`, async (event) => {
        const approve = event.currentTarget;
        approve.disabled = true;
        let result;
        try {
          result = await postJson(`/shared-services/${enc(service.code)}/agreements/${enc(agreement.id)}/approvals`,
            { council }, { 'If-Match': `"${agreement.version}"` });
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          const failed = banner('Important', `${councilName} could not approve this agreement: ${error.message}`);
          section.prepend(failed);
          failed.focus();
          approve.disabled = false;
          return;
        }
        const outcome = result.status === 'agreed'
          ? `${councilName} approved the ${service.name} agreement from ${monthLong(agreement.effectiveFrom)}. Every council has now approved it: it is in force.`
          : `${councilName} approved the ${service.name} agreement from ${monthLong(agreement.effectiveFrom)}. Still waiting for ${result.awaitingApproval.map(name).join(', ')}.`;
        const next = await renderApprovals(context, banner('Success', outcome, { success: true }));
        document.getElementById('view').replaceChildren(next);
        next.querySelector('.govuk-notification-banner').focus();
      }, { describedBy: headingId }));
    }
    view.append(section);
  }
  return view;
}

