// `npm start`: install and build if needed, then run the server, passing signals through so
// that SIGTERM / Ctrl-C shut it down gracefully.
process.argv.push('--build');
require('./ensure-ready.js');
process.argv.pop();
const { spawn } = require('node:child_process');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'apps', 'server', 'src', 'main.js');
const child = spawn(process.execPath, [entry, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
