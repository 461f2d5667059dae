// Makes `npm start` and `npm test` work on a fresh clone: installs dependencies when
// node_modules is missing or older than package-lock.json, and (for start) builds when the
// sources are newer than the last build. Plain Node, no dependencies.
const { execSync } = require('node:child_process');
const { existsSync, lstatSync, statSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);
const run = (command) => execSync(command, { cwd: root, stdio: 'inherit' });

function newestSource(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|html|css)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function ensureInstalled() {
  const modules = join(root, 'node_modules');
  // A link to another checkout's install (a git worktree) is that checkout's to update: npm ci
  // here would empty the shared directory through the link while others use it. A fresh
  // worktree's package-lock.json is always newer than the shared install, so the date says
  // nothing here.
  if (existsSync(modules) && lstatSync(modules).isSymbolicLink()) return;
  const marker = join(modules, '.package-lock.json');
  if (mtime(marker) < mtime(join(root, 'package-lock.json'))) {
    console.log('Installing dependencies (npm ci)...');
    run('npm ci --no-audit --no-fund');
  }
}

function ensureBuilt() {
  const entry = join(root, 'dist', 'apps', 'server', 'src', 'main.js');
  const sources = Math.max(
    ...['apps/server/src', 'libs', 'migrations'].map((dir) => newestSource(join(root, dir))),
  );
  // The dashboard (apps/dashboard, built by vite into dist/dashboard) counts as a source too.
  const dashboard = newestSource(join(root, 'apps', 'dashboard'));
  const dashboardEntry = join(root, 'dist', 'dashboard', 'index.html');
  if (mtime(entry) < sources || mtime(dashboardEntry) < dashboard) {
    console.log('Building (npm run build: server and dashboard)...');
    run('npm run build');
  }
}

ensureInstalled();
if (process.argv.includes('--build')) ensureBuilt();
