import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARD_OPERATION_NAMES, operationNameLabel } from './dashboard-operations';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('dashboard operation names', () => {
  it('lists every named operation the dashboard sends', () => {
    const dashboard = join(__dirname, '..', '..', '..', '..', 'apps', 'dashboard', 'src');
    const names = new Set<string>();
    for (const file of sources(dashboard)) {
      for (const match of readFileSync(file, 'utf8').matchAll(
        /\b(?:query|mutation)\s+([A-Za-z_]\w*)\s*[({]/g,
      )) {
        names.add(match[1]);
      }
    }
    expect(names.size).toBeGreaterThan(5);
    expect([...names].filter((name) => !DASHBOARD_OPERATION_NAMES.has(name))).toEqual([]);
  });

  it('labels anything else as other or anonymous', () => {
    expect(operationNameLabel('Overview')).toBe('Overview');
    expect(operationNameLabel('x'.repeat(40))).toBe('other');
    expect(operationNameLabel(undefined)).toBe('anonymous');
  });
});
