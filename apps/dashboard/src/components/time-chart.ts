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

/**
 * A small time chart as inline SVG (no chart library, nothing fetched): bars or a line over
 * evenly spaced buckets, scaled to the largest value. It stretches to the container's width, so
 * it never makes a phone's page scroll sideways.
 */
export function timeChart(options: {
  title: string;
  points: ChartPoint[];
  kind: 'bars' | 'line';
  format: (value: number) => string;
}): HTMLElement {
  const width = 600;
  const height = 140;
  const pad = 4;
  const values = options.points.map((point) => point.value ?? 0);
  const max = Math.max(1, ...values);
  const step = (width - pad * 2) / Math.max(1, options.points.length);
  const y = (value: number) => height - pad - (value / max) * (height - pad * 2);
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    preserveAspectRatio: 'none',
    class: `chart chart-${options.kind}`,
    role: 'img',
    'aria-label': options.title,
  });
  if (options.kind === 'bars') {
    options.points.forEach((point, i) => {
      if (!point.value) return;
      const bar = svg('rect', {
        x: pad + i * step + step * 0.1,
        y: y(point.value),
        width: step * 0.8,
        height: height - pad - y(point.value),
      });
      bar.appendChild(svg('title', {})).textContent =
        `${new Date(point.at).toLocaleTimeString()}: ${options.format(point.value)}`;
      chart.appendChild(bar);
    });
  } else {
    const coordinates = options.points
      .map((point, i) =>
        point.value === null ? null : `${pad + i * step + step / 2},${y(point.value)}`,
      )
      .filter((c): c is string => c !== null);
    if (coordinates.length > 0)
      chart.appendChild(svg('polyline', { points: coordinates.join(' ') }));
  }
  const first = options.points[0];
  const last = options.points[options.points.length - 1];
  return h(
    'figure',
    { class: 'chart-box' },
    h(
      'figcaption',
      {},
      options.title,
      h('span', { class: 'muted' }, ` · max ${options.format(max)}`),
    ),
    chart,
    first && last
      ? h(
          'div',
          { class: 'chart-axis muted' },
          h('span', {}, new Date(first.at).toLocaleTimeString([], { timeStyle: 'short' })),
          h('span', {}, new Date(last.at).toLocaleTimeString([], { timeStyle: 'short' })),
        )
      : null,
  );
}
