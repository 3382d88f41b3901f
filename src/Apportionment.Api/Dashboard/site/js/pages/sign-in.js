// Sign in with the council's identity provider (when the service offers one), or with an API key. A key is checked
// against the API (GET /api/v1/me) before it is kept for the tab.
import { ApiError, getJson, session } from '../api.js';
import { banner, h } from '../dom.js';

/** One button per council identity provider the service trusts for the dashboard. */
function issuerButtons(issuers, onIssuer) {
  if (issuers.length === 0) return null;
  return h('div', {},
    h('h2', { class: 'govuk-heading-m' }, 'Sign in with your council’s account'),
    h('p', { class: 'govuk-body' }, 'You will go to your council’s sign-in page and come back here signed in as yourself.'),
    h('div', { class: 'app-button-row' }, issuers.map((issuer) => h('button', {
      type: 'button', class: 'govuk-button', 'data-module': 'govuk-button',
      onclick: () => onIssuer(issuer),
    }, `Sign in with ${issuer.councilName}`))),
    h('h2', { class: 'govuk-heading-m' }, 'Or sign in with an API key'));
}

export function renderSignIn({ onSignedIn, notice = null, issuers = [], onIssuer }) {
  const errorSummary = h('div', { class: 'govuk-error-summary', 'data-module': 'govuk-error-summary', hidden: true },
    h('div', { role: 'alert' },
      h('h2', { class: 'govuk-error-summary__title' }, 'There is a problem'),
      h('div', { class: 'govuk-error-summary__body' },
        h('ul', { class: 'govuk-list govuk-error-summary__list' }, h('li', {}, h('a', { href: '#api-key', id: 'api-key-summary' }, ''))))));
  const error = h('p', { class: 'govuk-error-message', id: 'api-key-error', hidden: true });
  const input = h('input', {
    class: 'govuk-input', id: 'api-key', name: 'apiKey', type: 'password', autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': 'api-key-hint',
  });
  const group = h('div', { class: 'govuk-form-group' },
    h('label', { class: 'govuk-label govuk-label--s', for: 'api-key' }, 'API key'),
    h('div', { class: 'govuk-hint', id: 'api-key-hint' },
      'The key your administrator issued to your council. It is kept only in this browser tab until you sign out or close the tab.'),
    error, input);

  const fail = (message) => {
    errorSummary.hidden = false;
    errorSummary.querySelector('#api-key-summary').textContent = message;
    error.hidden = false;
    error.replaceChildren(h('span', { class: 'govuk-visually-hidden' }, 'Error: '), message);
    group.classList.add('govuk-form-group--error');
    input.classList.add('govuk-input--error');
    input.setAttribute('aria-describedby', 'api-key-hint api-key-error');
    document.title = 'Error: Sign in – Apportionment partner dashboard';
    errorSummary.focus();
  };
  errorSummary.setAttribute('tabindex', '-1');
  errorSummary.querySelector('a').addEventListener('click', (e) => { e.preventDefault(); input.focus(); });

  const form = h('form', { novalidate: true }, group,
    h('button', { type: 'submit', class: 'govuk-button', 'data-module': 'govuk-button' }, 'Sign in'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) {
      fail('Enter your API key');
      return;
    }

    let me;
    try {
      me = await getJson('/me', { key });
    } catch (e) {
      fail(e instanceof ApiError && e.status === 401 ? 'That key was not accepted: check it, or ask your administrator for a new one' : `Could not reach the service: ${e.message}`);
      return;
    }

    session.signIn(key);
    input.value = '';
    await onSignedIn(me);
  });

  return h('div', { class: 'govuk-grid-row' },
    h('div', { class: 'govuk-grid-column-two-thirds' },
      errorSummary,
      notice ? banner('Important', notice) : null,
      h('h1', { class: 'govuk-heading-l' }, 'Sign in'),
      h('p', { class: 'govuk-body' },
        'See what your council owes or is owed for each shared service, the savings from working in partnership, spending against budget, and the split agreements waiting for your approval.'),
      issuerButtons(issuers, onIssuer),
      form));
}
