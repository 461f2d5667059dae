/**
 * Docker cannot run here, so the image's build is checked against what `npm start` builds:
 * the Dockerfile runs the same `npm run build` (server and dashboard), never its own copy of the
 * build commands, and the runtime stage ships what that build writes (dist/, with
 * dist/dashboard in it), so `docker compose up -d` serves the dashboard like `npm start` does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface Stage {
  name: string;
  lines: string[];
}

/** The Dockerfile's stages, with continuation lines joined and comments dropped. */
function stages(dockerfile: string): Stage[] {
  const lines = dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const result: Stage[] = [];
  for (const line of lines) {
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) result.push({ name: from[1] ?? String(result.length), lines: [] });
    else result[result.length - 1]?.lines.push(line);
  }
  return result;
}

describe('Dockerfile and npm run build agree', () => {
  const dockerfile = stages(read('Dockerfile'));
  const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
  const build = dockerfile.find((stage) => stage.name === 'build')!;
  const runtime = dockerfile[dockerfile.length - 1];
  const runs = build.lines.filter((line) => /^RUN\s/i.test(line));

  it('builds server and dashboard with npm run build, the command npm start runs', () => {
    expect(pkg.scripts.build).toContain('nest build server');
    expect(pkg.scripts.build).toContain('vite build --config apps/dashboard/vite.config.ts');
    expect(read('scripts/ensure-ready.js')).toContain("run('npm run build')");
    expect(runs.some((line) => /(^|&&|;)\s*(RUN\s+)?npm run build(\s|&&|;|$)/.test(line))).toBe(
      true,
    );
  });

  it('does not repeat the build commands itself, so they cannot drift apart', () => {
    for (const line of runs) {
      expect([line, /\b(nest build|vite build|tsc)\b/.test(line)]).toEqual([line, false]);
    }
  });

  it("ships the build's output, the dashboard included", () => {
    expect(read('apps/dashboard/vite.config.ts')).toContain("'../../dist/dashboard'");
    expect(runtime.lines).toContain('COPY --from=build /app/dist ./dist');
    const ignored = read('.dockerignore').split(/\r?\n/).map((line) => line.trim());
    expect(ignored).not.toContain('apps');
    expect(ignored).not.toContain('apps/dashboard');
  });

  it('ships the quiz bank: a JSON module, which tsc writes into dist beside the code', () => {
    // An import (not a readFileSync of a path) is what makes `nest build` copy the file: tsc
    // emits every JSON module it resolves under resolveJsonModule, and the image copies dist.
    expect(read('libs/games/src/quiz/quiz-bank.ts')).toMatch(
      /^import \w+ from '\.\/quiz-bank\.json';$/m,
    );
    const tsconfig = JSON.parse(read('tsconfig.json')) as {
      compilerOptions: { resolveJsonModule?: boolean };
    };
    expect(tsconfig.compilerOptions.resolveJsonModule).toBe(true);
    const build = JSON.parse(read('tsconfig.build.json')) as { include: string[] };
    expect(build.include).toContain('libs/*/src');
  });
});
