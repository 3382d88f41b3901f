// Small DOM helpers: elements are built with textContent and attributes only (never innerHTML), so nothing the API
// returns can become markup, and nothing needs an inline style or script.

const SVG = 'http://www.w3.org/2000/svg';

function build(el, attrs, children) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name === 'class') el.setAttribute('class', value);
    else if (name === 'text') el.textContent = value;
    else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** An HTML element: h('p', { class: 'govuk-body' }, 'text', child). */
export const h = (tag, attrs, ...children) => build(document.createElement(tag), attrs, children);

/** An SVG element, for the charts. */
export const svg = (tag, attrs, ...children) => build(document.createElementNS(SVG, tag), attrs, children);

let tableCount = 0;

/**
 * A GOV.UK table in a keyboard-scrollable region. columns: [{ label, numeric, wraps, value: row => text or element }]
 * (wraps: a figure in words, "Is owed £1.00", may break between the words).
 * On a narrow screen the region scrolls sideways: markScrollingTables() shows its cue ("scroll sideways…") and a
 * shadow at the edge with more columns, and the region takes the focus so arrow keys scroll it.
 */
export function table({ caption, columns, rows, totals, id, captionHidden = false, small = false }) {
  const head = h('thead', { class: 'govuk-table__head' },
    h('tr', { class: 'govuk-table__row' }, columns.map((c) =>
      h('th', { scope: 'col', class: `govuk-table__header${c.numeric ? ' govuk-table__header--numeric' : ''}` }, c.label))));
  const row = (r, isTotal) => h('tr', { class: 'govuk-table__row' }, columns.map((c, i) => {
    const text = c.value(r);
    if (i === 0) return h('th', { scope: 'row', class: 'govuk-table__header' }, text);
    const money = c.numeric ? ` govuk-table__cell--numeric app-money${c.wraps ? ' app-money--wraps' : ''}` : '';
    const cls = `govuk-table__cell${money}${isTotal ? ' govuk-!-font-weight-bold' : ''}`;
    return h('td', { class: cls }, text);
  }));
  const body = h('tbody', { class: 'govuk-table__body' }, rows.map((r) => row(r, false)), totals ? row(totals, true) : null);
  const tableEl = h('table', { class: `govuk-table${small ? ' app-table--small' : ''}`, id },
    h('caption', { class: captionHidden ? 'govuk-visually-hidden' : 'govuk-table__caption govuk-table__caption--s' }, caption), head, body);
  const cue = `table-cue-${++tableCount}`;
  return h('div', { class: 'app-table' },
    h('p', { class: 'govuk-body-s app-scroll-cue', id: cue, hidden: true }, 'Scroll the table sideways to see every column.'),
    h('div', { class: 'app-table-wrapper', role: 'region', 'aria-label': caption, 'aria-describedby': cue, tabindex: '0' }, tableEl));
}

/** Shows the scroll cue of every table wider than its region (a phone), and hides it again when it fits. */
export function markScrollingTables(root = document) {
  root.querySelectorAll('.app-table-wrapper').forEach((region) => {
    const scrolls = region.scrollWidth > region.clientWidth + 1;
    region.classList.toggle('app-table-wrapper--scrolls', scrolls);
    const cue = region.previousElementSibling;
    if (cue?.classList.contains('app-scroll-cue')) cue.hidden = !scrolls;
  });
}

export const heading = (level, text, size) => h(`h${level}`, { class: `govuk-heading-${size}` }, text);

export const para = (...children) => h('p', { class: 'govuk-body' }, ...children);

export function button(text, onclick, { secondary = false, describedBy } = {}) {
  return h('button', {
    type: 'button', class: `govuk-button${secondary ? ' govuk-button--secondary' : ''}`,
    'data-module': 'govuk-button', 'aria-describedby': describedBy, onclick,
  }, text);
}

/** A GOV.UK notification banner; success banners take the focus so a screen reader hears them. */
let bannerCount = 0;

export function banner(title, text, { success = false } = {}) {
  const id = `banner-title-${++bannerCount}`;
  const el = h('div', {
    class: `govuk-notification-banner${success ? ' govuk-notification-banner--success' : ''}`,
    role: success ? 'alert' : 'region', 'aria-labelledby': id, tabindex: '-1',
  },
  h('div', { class: 'govuk-notification-banner__header' },
    h('h2', { class: 'govuk-notification-banner__title', id }, title)),
  h('div', { class: 'govuk-notification-banner__content' }, h('p', { class: 'govuk-notification-banner__heading' }, text)));
  return el;
}
