'use strict';
// A line chart drawn as SVG text, so a report page needs no script and no network.

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f = (n) => (Math.round(n * 10) / 10).toString();
const COLOURS = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#9d755d', '#eeca3b'];

/** A "nice" top for an axis: 1, 2 or 5 times a power of ten, at or above `max`. */
function niceMax(max) {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= max) ?? 10 * p;
}

/**
 * Lines over a shared x axis. `lines`: [{ label, points: [[x, y], …] }]; `x` and `y`: axis names.
 * Points whose y is not a number are gaps.
 */
function lineChart(id, { title, x, y, lines }) {
  const w = 720;
  const legendRows = Math.ceil(lines.length / 3);
  const h = 240;
  const full = h + legendRows * 16 + 6;
  const left = 56;
  const right = 12;
  const top = 28;
  const bottom = 34;
  const xs = lines.flatMap((l) => l.points.map((p) => p[0]));
  const ys = lines.flatMap((l) => l.points.map((p) => p[1]).filter((v) => Number.isFinite(v)));
  const x0 = Math.min(0, ...xs);
  const x1 = Math.max(x0 + 1, ...xs);
  const yTop = niceMax(Math.max(0, ...ys));
  const px = (v) => left + ((w - left - right) * (v - x0)) / (x1 - x0);
  const py = (v) => h - bottom - ((h - bottom - top) * v) / yTop;
  const paths = lines.map((l, i) => {
    const colour = COLOURS[i % COLOURS.length];
    let d = '';
    let pen = 'M';
    for (const [a, b] of l.points) {
      if (!Number.isFinite(b)) {
        pen = 'M';
        continue;
      }
      d += `${pen}${f(px(a))},${f(py(b))} `;
      pen = 'L';
    }
    const dots = l.points.length <= 60 ? l.points.filter((p) => Number.isFinite(p[1])) : [];
    const marks = dots.map(
      ([a, b]) =>
        `<circle cx="${f(px(a))}" cy="${f(py(b))}" r="2.5" fill="${colour}"><title>${esc(l.label)} at ${f(a)}: ${f(b)}</title></circle>`,
    );
    return `<path d="${d.trim()}" fill="none" stroke="${colour}" stroke-width="2"/>${marks.join('')}`;
  });
  const grid = [0, 0.25, 0.5, 0.75, 1].map((t) => {
    const v = yTop * t;
    return `<line x1="${left}" x2="${w - right}" y1="${f(py(v))}" y2="${f(py(v))}" stroke="#ddd"/><text x="${left - 6}" y="${f(py(v) + 4)}" text-anchor="end">${esc(f(v))}</text>`;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => {
    const v = x0 + (x1 - x0) * t;
    return `<text x="${f(px(v))}" y="${h - bottom + 16}" text-anchor="middle">${esc(f(v))}</text>`;
  });
  // Three labels a row under the chart, so long names never run into the title.
  const legend = lines.map((l, i) => {
    const lx = left + (i % 3) * 220;
    const ly = h + 12 + Math.floor(i / 3) * 16;
    return `<text x="${lx}" y="${ly}"><tspan fill="${COLOURS[i % COLOURS.length]}">■ </tspan>${esc(l.label)}</text>`;
  });
  return (
    `<svg id="${esc(id)}" class="chart" width="${w}" height="${full}" role="img" aria-label="${esc(title)}">` +
    `<text x="${left}" y="16" class="title">${esc(title)}</text>` +
    legend.join('') +
    grid.join('') +
    ticks.join('') +
    `<text x="${w / 2}" y="${h - 4}" text-anchor="middle" class="axis">${esc(x)}</text>` +
    `<text x="12" y="${h / 2}" transform="rotate(-90 12 ${h / 2})" text-anchor="middle" class="axis">${esc(y)}</text>` +
    paths.join('') +
    '</svg>'
  );
}

module.exports = { lineChart, esc, niceMax };
