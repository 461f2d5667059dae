// `npm run migration:run` / `npm run migration:revert`: the compiled migration CLI.
process.argv.push('--build');
require('./ensure-ready.js');
process.argv.pop();
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'apps', 'server', 'src', 'cli', 'migrate.js');
const result = spawnSync(process.execPath, [entry, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
