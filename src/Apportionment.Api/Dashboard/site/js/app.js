// The dashboard's shell: sign-in, sign-out, the page router (#overview, #savings, …) and the context every page
// gets: who the key is, which council the figures are for, and which period.
import { initAll } from './govuk-frontend.min.js';
import { ApiError, getAll, getJson, session } from './api.js';
import { banner } from './dom.js';
import { financialYearOf, currentMonth, financialYearsFrom } from './format.js';
import { renderSignIn } from './pages/sign-in.js';
import { renderOverview } from './pages/overview.js';
import { renderSavings } from './pages/savings.js';
import { renderTrends } from './pages/trends.js';
import { renderBudgets } from './pages/budgets.js';
import { renderApprovals } from './pages/approvals.js';
import { renderReview } from './pages/review.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');

const pages = {
  overview: { title: 'Overview', render: renderOverview },
  savings: { title: 'Savings', render: renderSavings },
  trends: { title: 'Trends', render: renderTrends },
  budgets: { title: 'Budgets', render: renderBudgets },
  approvals: { title: 'Approvals', render: renderApprovals },
  review: { title: 'Review', render: renderReview },
};

const view = document.getElementById('view');
const status = document.getElementById('status');
let who = null;

/** #savings?period=2025-26&council=MDDC → { page, params }. */
function route() {
  const [name, query] = location.hash.replace(/^#/, '').split('?');
  return { page: pages[name] ? name : 'overview', params: new URLSearchParams(query ?? '') };
}

const servicesOf = new Map();

/** The shared services a council belongs to, read once per sign-in. */
function servicesFor(council) {
  if (!servicesOf.has(council)) servicesOf.set(council, getAll(`/shared-services?council=${encodeURIComponent(council)}`));
  return servicesOf.get(council);
}

/** The signed-in key (its name, council and scopes) and the councils it can see, fetched side by side. */
async function loadWho(me) {
  const key = me ?? await getJson('/me');
  const [councils] = await Promise.all([getAll('/councils'), key.council ? servicesFor(key.council) : null]);
  return { ...key, councils, isAdmin: key.scopes.includes('admin') };
}

function showNavigation(signedIn) {
  document.getElementById('app-navigation').hidden = !signedIn;
  document.getElementById('signed-in').hidden = !signedIn;
  if (signedIn) {
    const council = who.council ? who.councils.find((c) => c.code === who.council) : null;
    document.getElementById('signed-in-as').textContent = council
      ? `Signed in with “${who.name}” for ${council.name} (${council.code}).`
      : `Signed in with “${who.name}”, an administrator key.`;
  }
}

function markCurrent(page) {
  document.querySelectorAll('.govuk-service-navigation__item').forEach((item) => {
    const active = item.dataset.page === page;
    item.classList.toggle('govuk-service-navigation__item--active', active);
    const link = item.querySelector('a');
    if (active) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  });
}

/** The context a page renders with. A council key always sees its own council, whatever the address says. */
async function contextFor(params) {
  const council = who.isAdmin ? (params.get('council') ?? who.councils[0]?.code) : who.council;
  const services = council ? await servicesFor(council) : [];
  const first = services.map((s) => s.startMonth).sort()[0] ?? currentMonth();
  const years = financialYearsFrom(first);
  const period = params.get('period') ?? financialYearOf(currentMonth());
  return {
    who,
    council,
    councilName: who.councils.find((c) => c.code === council)?.name ?? council,
    services,
    years,
    period,
    canApprove: who.scopes.includes('agreements:approve') || who.isAdmin,
    announce: (text) => { status.textContent = text; },
    go: (page, changes) => {
      const next = new URLSearchParams(params);
      for (const [k, v] of Object.entries(changes ?? {})) next.set(k, v);
      location.hash = `${page}?${next}`;
    },
  };
}

async function render() {
  view.setAttribute('aria-busy', 'true');
  if (!session.key()) {
    who = null;
    showNavigation(false);
    document.title = 'Sign in – Apportionment partner dashboard';
    view.replaceChildren(renderSignIn({ onSignedIn }));
    view.removeAttribute('aria-busy');
    return;
  }

  try {
    who ??= await loadWho();
    showNavigation(true);
    const { page, params } = route();
    markCurrent(page);
    const context = await contextFor(params);
    const heading = `${pages[page].title}${context.councilName ? ` – ${context.councilName}` : ''}`;
    document.title = `${heading} – Apportionment partner dashboard`;
    const content = await pages[page].render(context);
    view.replaceChildren(content);
    initAll({ scope: view });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      session.signOut();
      who = null;
      servicesOf.clear();
      await render();
      return;
    }

    document.title = 'Something went wrong – Apportionment partner dashboard';
    view.replaceChildren(banner('Important', `The figures could not be loaded: ${error.message}`));
  } finally {
    view.removeAttribute('aria-busy');
  }

  // A new page: put the focus on its heading, as a full page load would, so keyboard and screen reader users start there.
  view.querySelector('h1')?.setAttribute('tabindex', '-1');
  view.querySelector('h1')?.focus();
}

async function onSignedIn(me) {
  servicesOf.clear();
  who = await loadWho(me);
  if (location.hash) await render(); else location.hash = 'overview';
}

document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  who = null;
  servicesOf.clear();
  history.replaceState(null, '', location.pathname);
  render().then(() => status.replaceChildren('You have signed out. The key has been removed from this tab.'));
});

window.addEventListener('hashchange', render);
initAll();
render();

