// Pieces every page shares: the heading, and the form that picks the period (and, for an admin key, the council).
import { h } from '../dom.js';
import { describePeriod } from '../format.js';

export function pageHeading(context, title) {
  return h('div', {},
    h('span', { class: 'govuk-caption-l' }, context.councilName),
    h('h1', { class: 'govuk-heading-l' }, title));
}

function select(id, label, options, selected) {
  return h('div', { class: 'govuk-form-group' },
    h('label', { class: 'govuk-label', for: id }, label),
    h('select', { class: 'govuk-select', id, name: id }, options.map((o) => (o.group
      ? h('optgroup', { label: o.group }, o.options.map((x) => h('option', { value: x.value, selected: x.value === selected }, x.text)))
      : h('option', { value: o.value, selected: o.value === selected }, o.text)))));
}

/** Financial years only, or years with their quarters (the overview). A submit button applies the choice. */
export function filters(context, page, { quarters = false } = {}) {
  const periods = context.years.map((year) => (quarters
    ? {
      group: year,
      options: [{ value: year, text: `${year} (whole year)` },
        ...[1, 2, 3, 4].map((q) => ({ value: `${year}-Q${q}`, text: `${year} Q${q}: ${describePeriod(`${year}-Q${q}`)}` }))],
    }
    : { value: year, text: `${year}: ${describePeriod(year)}` }));
  const form = h('form', { class: 'app-filters', novalidate: true },
    context.who.isAdmin
      ? select('council', 'Council', context.who.councils.map((c) => ({ value: c.code, text: `${c.name} (${c.code})` })), context.council)
      : null,
    select('period', quarters ? 'Financial year or quarter' : 'Financial year', periods, context.period),
    h('div', { class: 'govuk-form-group' },
      h('button', { type: 'submit', class: 'govuk-button govuk-button--secondary', 'data-module': 'govuk-button' }, 'Show figures')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const changes = { period: form.elements.period.value };
    if (form.elements.council) changes.council = form.elements.council.value;
    context.go(page, changes);
  });
  return form;
}

/** What a page shows when the council has no figures to show. */
export const nothing = (text) => h('p', { class: 'govuk-body' }, text);

/** A link to another page that keeps the period (and an admin's council): #postings?service=BC&period=2025-26. */
export function pageLink(context, page, params, text) {
  const query = new URLSearchParams({ period: context.period, ...params });
  if (context.who.isAdmin && context.council) query.set('council', context.council);
  return h('a', { class: 'govuk-link', href: `#${page}?${query}` }, text);
}
