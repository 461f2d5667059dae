import { h } from '../dom';

const SVG = 'http://www.w3.org/2000/svg';

export interface ChartPoint {
  at: string;
  value: number | null;
}

function svg(tag: string, attributes: Record<string, string | number>): SVGElement {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

/** 0, 1, 2, 5, 10, 20, 50…: the smallest "nice" number at or above `value`. */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((n) => n * power >= value) ?? 10;
  return step * power;
}

/**
 * The window worth drawing: from the first bucket with data to the last one, so six hours with
 * ten minutes of activity show those ten minutes wide, not a sliver at the right edge.
 */
export function dataWindow(points: ChartPoint[], kind: 'bars' | 'line'): ChartPoint[] {
  const has = (p: ChartPoint) => p.value !== null && (kind === 'line' || p.value > 0);
  const first = points.findIndex(has);
  if (first < 0) return [];
  let last = points.length - 1;
  while (last > first && !has(points[last])) last--;
  return points.slice(first, last + 1);
}

const clock = (iso: string) => new Date(iso).toLocaleTimeString([], { timeStyle: 'short' });

/**
 * A small time chart as inline SVG (nothing fetched, no inline script or style: CSP-clean) with
 * a y axis (0, half, top), grid lines, time labels under it, a dot on every point (so a single
 * point shows), values on hover (a readout line, and the native tooltip), and the window
 * zoomed to the data. It stretches to its container, so it never makes a phone scroll sideways.
 */
export function timeChart(options: {
  title: string;
  points: ChartPoint[];
  kind: 'bars' | 'line';
  format: (value: number) => string;
}): HTMLElement {
  const points = dataWindow(options.points, options.kind);
  const caption = h('figcaption', {}, options.title);
  if (points.length === 0) {
    return h(
      'figure',
      { class: 'chart-box', 'data-points': 0 },
      caption,
      h('p', { class: 'muted chart-empty' }, 'No data in this window yet.'),
    );
  }
  const width = 600;
  const height = 160;
  const values = points.map((point) => point.value ?? 0);
  const max = niceCeiling(Math.max(...values));
  const step = width / points.length;
  const y = (value: number) => height - (value / max) * height;
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    preserveAspectRatio: 'none',
    class: `chart chart-${options.kind}`,
    role: 'img',
    'aria-label': `${options.title}: highest ${options.format(Math.max(...values))}`,
  });
  for (const fraction of [0, 0.5, 1]) {
    chart.appendChild(
      svg('line', {
        class: 'grid',
        x1: 0,
        x2: width,
        y1: y(max * fraction),
        y2: y(max * fraction),
      }),
    );
  }
  const readout = h('div', { class: 'chart-readout muted', 'aria-live': 'polite' }, ' ');
  const describe = (point: ChartPoint) =>
    `${clock(point.at)}: ${point.value === null ? 'no data' : options.format(point.value)}`;
  if (options.kind === 'line') {
    const coordinates = points
      .map((point, i) => (point.value === null ? null : `${(i + 0.5) * step},${y(point.value)}`))
      .filter((c): c is string => c !== null);
    chart.appendChild(svg('polyline', { points: coordinates.join(' ') }));
  }
  points.forEach((point, i) => {
    const x = (i + 0.5) * step;
    if (point.value !== null && options.kind === 'bars' && point.value > 0) {
      chart.appendChild(
        svg('rect', {
          class: 'bar',
          x: i * step + step * 0.12,
          y: y(point.value),
          width: step * 0.76,
          height: height - y(point.value),
        }),
      );
    }
    if (point.value !== null && options.kind === 'line') {
      // A zero-length round-capped line: a dot that stays round however the chart stretches.
      chart.appendChild(
        svg('line', { class: 'dot', x1: x, x2: x, y1: y(point.value), y2: y(point.value) }),
      );
    }
    // The hover target: the whole column of the bucket.
    const target = svg('rect', {
      class: 'hover-target',
      x: i * step,
      y: 0,
      width: step,
      height,
      'data-at': point.at,
    });
    target.appendChild(svg('title', {})).textContent = describe(point);
    target.addEventListener('mouseenter', () => {
      readout.textContent = describe(point);
      target.classList.add('active');
    });
    target.addEventListener('mouseleave', () => target.classList.remove('active'));
    chart.appendChild(target);
  });
  const first = points[0];
  const last = points[points.length - 1];
  return h(
    'figure',
    { class: 'chart-box', 'data-points': points.length },
    caption,
    h(
      'div',
      { class: 'chart-frame' },
      h(
        'div',
        { class: 'chart-y muted', 'aria-hidden': 'true' },
        h('span', {}, options.format(max)),
        h('span', {}, options.format(max / 2)),
        h('span', {}, options.format(0)),
      ),
      chart,
    ),
    h(
      'div',
      { class: 'chart-axis muted' },
      h('span', {}, clock(first.at)),
      points.length > 2 ? h('span', {}, clock(points[Math.floor(points.length / 2)].at)) : null,
      points.length > 1 ? h('span', {}, clock(last.at)) : null,
    ),
    readout,
  );
}
