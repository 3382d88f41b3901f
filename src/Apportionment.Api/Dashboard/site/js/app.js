// The dashboard's shell: sign-in (API key or the council's identity provider), sign-out, the page router
// (#overview, #savings, …) and the context every page gets: who is signed in, which council the figures are for,
// and which period.
import { initAll } from './govuk-frontend.min.js';
import { ApiError, getAll, getJson, session } from './api.js';
import * as identity from './identity.js';
import { banner, h, markScrollingTables, para } from './dom.js';
import { financialYearOf, currentMonth, financialYearsFrom } from './format.js';
import { renderSignIn } from './pages/sign-in.js';
import { renderOverview } from './pages/overview.js';
import { renderSavings } from './pages/savings.js';
import { renderTrends } from './pages/trends.js';
import { renderBudgets } from './pages/budgets.js';
import { renderApprovals } from './pages/approvals.js';
import { renderReview } from './pages/review.js';
import { renderPostings } from './pages/postings.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');

const pages = {
  overview: { title: 'Overview', render: renderOverview },
  savings: { title: 'Savings', render: renderSavings },
  trends: { title: 'Trends', render: renderTrends },
  budgets: { title: 'Budgets', render: renderBudgets },
  approvals: { title: 'Approvals', render: renderApprovals },
  review: { title: 'Review', render: renderReview },
  postings: { title: 'Behind the figures', render: renderPostings },
};

const view = document.getElementById('view');
const status = document.getElementById('status');
let who = null;
/** What the sign-in page says first, e.g. that a session has ended. */
let notice = null;

const signedIn = () => Boolean(session.key() || identity.accessToken());

/** Forgets whoever is signed in, here only (the key, or the person's tokens). */
async function forgetSignIn(message) {
  session.signOut();
  await identity.forget();
  who = null;
  servicesOf.clear();
  latestOf.clear();
  notice = message;
}

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
  const key = { ...(me ?? await getJson('/me')), person: identity.person() };
  const isAdmin = key.scopes.includes('admin');
  // Without statements:read nothing else can be read: say so rather than fail on the first figure.
  if (!isAdmin && !key.scopes.includes('statements:read')) return { ...key, councils: [], isAdmin, noFigures: true };
  const [councils] = await Promise.all([getAll('/councils'), key.council ? servicesFor(key.council) : null]);
  return { ...key, councils, isAdmin };
}

function showNavigation(isSignedIn) {
  document.getElementById('app-navigation').hidden = !isSignedIn || Boolean(who?.noFigures);
  document.getElementById('signed-in').hidden = !isSignedIn;
  if (isSignedIn) {
    const council = who.council ? who.councils.find((c) => c.code === who.council) : null;
    const councilText = council ? `${council.name} (${council.code})` : who.council;
    document.getElementById('signed-in-as').textContent = who.person
      ? `Signed in as ${who.person.name} for ${councilText ?? 'every council'}, through ${new URL(who.person.issuer).host}.`
      : councilText
        ? `Signed in with “${who.name}” for ${councilText}.`
        : `Signed in with “${who.name}”, an administrator key.`;
  }
}

/** A key or account that may not read figures: say what is missing, and offer the way out. */
function noFiguresView() {
  const what = who.person ? 'Your account' : `The key “${who.name}”`;
  return h('div', {},
    h('h1', { class: 'govuk-heading-l' }, 'You cannot see figures with this sign-in'),
    para(`${what} does not have permission to read statements (the statements:read scope), so the dashboard has nothing it may show.`),
    para('Ask your council’s Apportionment administrator to grant statements:read, then sign out and sign in again.'));
}

/** Marks the current page in the menu; every menu link keeps the period (and an admin's council) chosen. */
function markCurrent(page, context) {
  const kept = new URLSearchParams({ period: context.period });
  if (who.isAdmin && context.council) kept.set('council', context.council);
  document.querySelectorAll('.govuk-service-navigation__item').forEach((item) => {
    const active = item.dataset.page === page;
    item.classList.toggle('govuk-service-navigation__item--active', active);
    const link = item.querySelector('a');
    link.setAttribute('href', `#${item.dataset.page}?${kept}`);
    if (active) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  });
}

const latestOf = new Map();

/** The newest financial year with figures for the council (the current one if none has any), read once per sign-in. */
function latestWithFigures(council, years) {
  if (!latestOf.has(council)) {
    latestOf.set(council, (async () => {
      for (const year of years) {
        const statement = await getJson(`/councils/${encodeURIComponent(council)}/recharge-statements/${year}`);
        if (statement.lines.some((l) => l.netCost !== 0 || l.share !== 0 || l.paidDirectly !== 0)) return year;
      }
      return years[0] ?? financialYearOf(currentMonth());
    })());
  }
  return latestOf.get(council);
}

/** The context a page renders with. A council key always sees its own council, whatever the address says. */
async function contextFor(page, params) {
  const council = who.isAdmin ? (params.get('council') ?? who.councils[0]?.code) : who.council;
  const services = council ? await servicesFor(council) : [];
  const first = services.map((s) => s.startMonth).sort()[0] ?? currentMonth();
  const years = financialYearsFrom(first);
  let period = params.get('period');
  if (!period) {
    // No period asked for: open on the latest one with figures, and put it in the address so it is kept.
    period = council ? await latestWithFigures(council, years) : financialYearOf(currentMonth());
    params.set('period', period);
    history.replaceState(null, '', `${location.pathname}#${page}?${params}`);
  }
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
  if (!signedIn()) {
    who = null;
    showNavigation(false);
    document.title = 'Sign in – Apportionment partner dashboard';
    const { issuers } = await identity.signInOptions();
    view.replaceChildren(renderSignIn({ onSignedIn, notice, issuers, onIssuer: identity.signIn }));
    notice = null;
    view.removeAttribute('aria-busy');
    return;
  }

  try {
    who ??= await loadWho();
    showNavigation(true);
    if (who.noFigures) {
      document.title = 'No access to figures – Apportionment partner dashboard';
      view.replaceChildren(noFiguresView());
      return;
    }

    const { page, params } = route();
    const context = await contextFor(page, params);
    markCurrent(page, context);
    const heading = `${pages[page].title}${context.councilName ? ` – ${context.councilName}` : ''}`;
    document.title = `${heading} – Apportionment partner dashboard`;
    const content = await pages[page].render(context);
    view.replaceChildren(content);
    initAll({ scope: view });
    markScrollingTables(view);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      await forgetSignIn(identity.accessToken() ? 'Your session has ended: sign in again to see the figures.' : null);
      await render();
      return;
    }

    if (!who) {
      // Signed in, but the service refused who it is (e.g. a token naming another council): offer the way out.
      document.getElementById('signed-in').hidden = false;
      document.getElementById('signed-in-as').textContent = 'The service did not accept this sign-in.';
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
  latestOf.clear();
  who = await loadWho(me);
  if (location.hash) await render(); else location.hash = 'overview';
}

async function signOut() {
  if (!session.key() && identity.accessToken()) {
    // Signs out at the issuer too; it sends the officer back here, to the sign-in page.
    who = null;
    await identity.signOut();
    return;
  }
  await forgetSignIn(null);
  history.replaceState(null, '', location.pathname);
  await render();
  status.replaceChildren('You have signed out. The key has been removed from this tab.');
}

document.getElementById('sign-out').addEventListener('click', signOut);
window.addEventListener('resize', () => markScrollingTables(view));

const ended = 'Your session has ended: sign in again to see the figures.';
identity.start(async () => { await forgetSignIn(ended); await render(); })
  .then(async (state) => {
    if (state === 'expired') notice = ended;
    await identity.refreshUser();
    identity.onRenewed(() => {});
  })
  .catch(async (error) => {
    await identity.forget();
    notice = `Signing in with your council’s account did not complete: ${error.message}`;
  })
  .finally(() => {
    window.addEventListener('hashchange', render);
    initAll();
    render();
  });

