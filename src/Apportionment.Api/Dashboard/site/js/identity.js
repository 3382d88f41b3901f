// Sign-in with the council's own identity provider: OpenID Connect authorization code flow with PKCE, through
// oidc-client-ts (its browser bundle, served by the service and loaded only when needed). Tokens and the sign-in's
// state live in sessionStorage for this tab only. An access token about to expire is renewed with a refresh token
// when the issuer gave one; otherwise, once expired, the officer is signed out and asked to sign in again.

const CHOSEN = 'apportionment.issuer';
const REDIRECT = `${location.origin}/dashboard/`;
let optionsPromise = null;
let libraryPromise = null;
let manager = null;
let onExpired = () => {};

/** The issuers the dashboard may sign in with (GET /dashboard/sign-in-options), read once. */
export function signInOptions() {
  optionsPromise ??= fetch('/dashboard/sign-in-options', { cache: 'no-store', credentials: 'omit' })
    .then((r) => (r.ok ? r.json() : { issuers: [] }))
    .catch(() => ({ issuers: [] }));
  return optionsPromise;
}

function library() {
  libraryPromise ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/dashboard/js/oidc-client-ts.min.js';
    script.onload = () => resolve(window.oidc);
    script.onerror = () => reject(new Error('The sign-in library could not be loaded.'));
    document.head.append(script);
  });
  return libraryPromise;
}

async function managerFor(issuer) {
  const oidc = await library();
  const store = new oidc.WebStorageStateStore({ store: window.sessionStorage });
  const m = new oidc.UserManager({
    authority: issuer.authority,
    client_id: issuer.clientId,
    scope: issuer.scope,
    response_type: 'code',
    redirect_uri: REDIRECT,
    post_logout_redirect_uri: REDIRECT,
    userStore: store,
    stateStore: store,
    loadUserInfo: false,
    monitorSession: false,
    automaticSilentRenew: false,
  });
  m.events.addAccessTokenExpiring(async () => {
    const user = await m.getUser();
    if (user?.refresh_token) await m.signinSilent().catch(() => {});
  });
  m.events.addAccessTokenExpired(async () => {
    await m.removeUser();
    onExpired();
  });
  return m;
}

/** The issuer this tab signed in with (or is signing in with), if any. */
async function chosenIssuer() {
  const authority = sessionStorage.getItem(CHOSEN);
  if (!authority) return null;
  const { issuers } = await signInOptions();
  return issuers.find((i) => i.authority === authority) ?? null;
}

/**
 * Prepares the tab: finishes a sign-in the issuer has just sent back (?code=…&state=…), then loads the signed-in
 * person, if any. Returns 'expired' when the stored session has run out, so the page can say so.
 */
export async function start(whenExpired) {
  onExpired = whenExpired;
  const issuer = await chosenIssuer();
  if (!issuer) return null;
  manager = await managerFor(issuer);
  const query = new URLSearchParams(location.search);
  if (query.has('state') && (query.has('code') || query.has('error'))) {
    try {
      await manager.signinRedirectCallback();
    } finally {
      // The code is single-use and must not stay in the address bar or the history.
      history.replaceState(null, '', `${location.pathname}#overview`);
    }
  }

  const user = await manager.getUser();
  if (user?.expired) {
    await manager.removeUser();
    return 'expired';
  }
  return null;
}

/** The signed-in person's access token, or null (no one signed in with an issuer, or the token has expired). */
export function accessToken() {
  return currentUser?.access_token ?? null;
}

let currentUser = null;

/** Reads the signed-in person from the tab's store; call after start() and after renewals. */
export async function refreshUser() {
  const user = manager ? await manager.getUser() : null;
  currentUser = user && !user.expired ? user : null;
  return currentUser;
}

/** The person as the issuer named them: name claim where given, else the subject. */
export function person() {
  if (!currentUser) return null;
  const p = currentUser.profile;
  return { name: p.name ?? p.preferred_username ?? p.sub, subject: p.sub, issuer: p.iss };
}

/** Sends the officer to the issuer to sign in; they come back to /dashboard/ with a code. */
export async function signIn(issuer) {
  sessionStorage.setItem(CHOSEN, issuer.authority);
  manager = await managerFor(issuer);
  await manager.signinRedirect();
}

/** Forgets the tokens here, then signs out at the issuer too (it sends the officer back to the sign-in page). */
export async function signOut() {
  if (!manager) return;
  const user = await manager.getUser();
  await manager.removeUser();
  currentUser = null;
  sessionStorage.removeItem(CHOSEN);
  await manager.signoutRedirect({ id_token_hint: user?.id_token });
}

/** Forgets the session here only (expired, or refused by the API). */
export async function forget() {
  if (manager) await manager.removeUser();
  currentUser = null;
  sessionStorage.removeItem(CHOSEN);
}

/** Keeps currentUser in step when the library renews the token. */
export function onRenewed(callback) {
  manager?.events.addUserLoaded((user) => { currentUser = user; callback(); });
}
