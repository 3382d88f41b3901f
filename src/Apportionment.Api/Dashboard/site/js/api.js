// The public /api/v1 endpoints with the signed-in key or the person's access token (identity.js). Either lives in
// sessionStorage for this tab only: never in a URL, a cookie or localStorage, and it is forgotten on sign-out or
// when the tab closes.
import { accessToken } from './identity.js';

const STORE = 'apportionment.apiKey';

export const session = {
  key: () => sessionStorage.getItem(STORE),
  signIn: (key) => sessionStorage.setItem(STORE, key),
  signOut: () => sessionStorage.removeItem(STORE),
};

/** An API error, with the problem+json the API answered (RFC 9457). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `The API answered ${status}.`);
    this.status = status;
    this.problem = problem;
  }
}

/** The header that proves who is asking: the API key, or else the access token. */
function credential(key) {
  if (key) return { 'X-Api-Key': key };
  const token = accessToken();
  return token ? { Authorization: `Bearer ${token}` } : { 'X-Api-Key': '' };
}

async function call(path, { method = 'GET', accept = 'application/json', body, headers = {}, key = session.key() } = {}) {
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers: {
      ...credential(key),
      Accept: accept,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
    credentials: 'omit',
  });
  if (!response.ok) {
    const problem = await response.json().catch(() => null);
    throw new ApiError(response.status, problem);
  }
  return response;
}

export const getJson = async (path, options) => (await call(path, options)).json();

export const postJson = async (path, body, headers) => (await call(path, { method: 'POST', body, headers })).json();

/** Every item of a paged list. */
export async function getAll(path) {
  const items = [];
  const join = path.includes('?') ? '&' : '?';
  for (let offset = 0; ; offset += 500) {
    const page = await getJson(`${path}${join}offset=${offset}&limit=500`);
    items.push(...page.items);
    if (items.length >= page.total || page.items.length === 0) return items;
  }
}

/**
 * Saves the API's own CSV (or xlsx or PDF) for a report, byte for byte, under the file name the API gives it. The CSV
 * is the one for people (labels=human): headings in words, months Excel keeps as text, final or provisional.
 */
export async function downloadCsv(path, accept = 'text/csv') {
  const forPeople = accept === 'text/csv' ? `${path}${path.includes('?') ? '&' : '?'}labels=human` : path;
  const response = await call(forPeople, { accept });
  const blob = await response.blob();
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] ?? 'report';
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = decodeURIComponent(name);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The same report as an Excel workbook: the API answers xlsx wherever it answers CSV. */
export const downloadXlsx = (path) => downloadCsv(path, xlsx);
