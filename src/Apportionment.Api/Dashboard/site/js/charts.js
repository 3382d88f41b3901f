// Accessible SVG charts. Each is a <figure>: the SVG is one image with a title, the caption is a text summary, and
// the page shows the same figures as a table beside it. Sizes follow the space available, so 14px text stays 14px
// on a phone. Colours come from the stylesheet (3:1 contrast or better); the series of a line chart differ by
// pattern and marker too, and carry their names in a legend.
import { h, svg } from './dom.js';

const FONT = 14;
let chartCount = 0;

function widthOf(container) {
  return Math.max(300, Math.min(960, Math.floor(container.getBoundingClientRect().width) || 640));
}

/** Round step for gridlines: 1, 2 or 5 times a power of ten. */
function niceStep(range, ticks) {
  const raw = range / ticks;
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
}

function figure(title, summary, image) {
  const id = `chart-${++chartCount}`;
  return h('figure', { class: 'app-chart', 'aria-labelledby': `${id}-caption` },
    h('figcaption', { class: 'govuk-body', id: `${id}-caption` },
      h('span', { class: 'govuk-!-font-weight-bold' }, `${title}. `), summary),
    image(id));
}

/** Horizontal bars, one series: [{ label, value }]; the value is written at the end of each bar. */
export function barChart(container, { title, summary, items, format, formatShort }) {
  const width = widthOf(container);
  const labelWidth = Math.min(300, Math.round(width * 0.38));
  const valueRoom = 96;
  const bar = 26;
  const gap = 14;
  const height = items.length * (bar + gap) + 8;
  const max = Math.max(0, ...items.map((i) => i.value));
  const min = Math.min(0, ...items.map((i) => i.value));
  const plot = width - labelWidth - valueRoom;
  const x = (v) => labelWidth + ((v - min) / ((max - min) || 1)) * plot;
  return figure(title, summary, (id) => svg('svg', {
    class: 'app-chart__svg', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-labelledby': `${id}-title`,
  },
  svg('title', { id: `${id}-title` }, `${title}: ${items.map((i) => `${i.label} ${format(i.value)}`).join('; ')}`),
  items.map((item, n) => {
    const y = n * (bar + gap) + 4;
    const left = Math.min(x(0), x(item.value));
    return svg('g', {},
      svg('text', { class: 'app-chart__text', x: labelWidth - 8, y: y + bar / 2 + FONT / 3, 'text-anchor': 'end' }, shorten(item.label, labelWidth)),
      svg('rect', { class: 'app-chart__bar--1', x: left, y, width: Math.max(1, Math.abs(x(item.value) - x(0))), height: bar }),
      svg('text', { class: 'app-chart__text app-chart__text--value', x: Math.max(x(item.value), x(0)) + 6, y: y + bar / 2 + FONT / 3 },
        (formatShort ?? format)(item.value)));
  }),
  svg('line', { class: 'app-chart__axis', x1: x(0), x2: x(0), y1: 0, y2: height })));
}

/** Lines over months: series [{ name, values }] on shared axes, each with its own pattern and marker. */
export function lineChart(container, { title, summary, labels, series, format, formatShort }) {
  const width = widthOf(container);
  const height = 280;
  const left = 72;
  const right = 16;
  const top = 12;
  const bottom = 36;
  const all = series.flatMap((s) => s.values).filter((v) => v !== null);
  const maxValue = Math.max(0, ...all);
  const minValue = Math.min(0, ...all);
  const step = niceStep((maxValue - minValue) || 1, 4);
  const max = Math.ceil(maxValue / step) * step || step;
  const min = Math.floor(minValue / step) * step;
  const x = (i) => left + (labels.length === 1 ? 0 : (i / (labels.length - 1)) * (width - left - right));
  const y = (v) => top + (1 - (v - min) / ((max - min) || 1)) * (height - top - bottom);
  const every = width < 520 ? 3 : 1;
  const ticks = [];
  for (let v = min; v <= max + step / 2; v += step) ticks.push(v);

  // Series told apart without colour: a solid line with circles, a dashed one with squares, a dotted one with diamonds.
  const shape = (cx, cy, n) => {
    if (n === 0) return svg('circle', { class: `app-chart__marker--${n + 1}`, cx, cy, r: 5 });
    if (n === 1) return svg('rect', { class: `app-chart__marker--${n + 1}`, x: cx - 4.5, y: cy - 4.5, width: 9, height: 9 });
    return svg('polygon', { class: `app-chart__marker--${n + 1}`, points: `${cx},${cy - 6} ${cx + 6},${cy} ${cx},${cy + 6} ${cx - 6},${cy}` });
  };
  const marker = (s, i, v, n) => shape(x(i), y(v), n);
  const pattern = (n) => ['', ' app-chart__line--dashed', ' app-chart__line--dotted'][n] ?? ' app-chart__line--dashed';

  const legend = h('ul', { class: 'app-legend', 'aria-hidden': 'true' }, series.map((s, n) => h('li', { class: 'app-legend__item' },
    svg('svg', { width: 40, height: 14, viewBox: '0 0 40 14', focusable: 'false' },
      svg('line', { class: `app-legend__swatch app-legend__swatch--${n + 1}${pattern(n)}`, x1: 0, x2: 40, y1: 7, y2: 7 }),
      shape(20, 7, n)), s.name)));

  return figure(title, summary, (id) => h('div', {}, legend, svg('svg', {
    class: 'app-chart__svg', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-labelledby': `${id}-title`,
  },
  svg('title', { id: `${id}-title` }, `${title}: ${series.map((s) => `${s.name}, ${s.values.map((v, i) => `${labels[i]} ${v === null ? 'no figure' : format(v)}`).join(', ')}`).join('. ')}`),
  ticks.map((v) => svg('g', {},
    svg('line', { class: v === 0 ? 'app-chart__axis' : 'app-chart__grid', x1: left, x2: width - right, y1: y(v), y2: y(v) }),
    svg('text', { class: 'app-chart__text', x: left - 6, y: y(v) + FONT / 3, 'text-anchor': 'end' }, (formatShort ?? format)(v)))),
  labels.map((label, i) => (i % every === 0
    ? svg('text', { class: 'app-chart__text', x: x(i), y: height - bottom + 22, 'text-anchor': 'middle' }, label)
    : null)),
  series.map((s, n) => {
    const points = s.values.map((v, i) => (v === null ? null : `${x(i)},${y(v)}`)).filter(Boolean).join(' ');
    return svg('g', {},
      svg('polyline', { class: `app-chart__line--${n + 1}${pattern(n)}`, points }),
      s.values.map((v, i) => (v === null ? null : marker(s, i, v, n))));
  }))));
}

function shorten(text, room) {
  const fits = Math.floor(room / (FONT * 0.55));
  return text.length <= fits ? text : `${text.slice(0, fits - 1)}…`;
}
