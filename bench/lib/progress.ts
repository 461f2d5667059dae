/**
 * One progress line on stderr (stdout of a section carries its result): rewritten in place on
 * a terminal, one line per update otherwise (CI logs).
 */
export function progress(message: string): void {
  const line = `[bench ${new Date().toISOString().slice(11, 19)}] ${message}`;
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line}`);
  else process.stderr.write(`${line}\n`);
}

export function progressDone(): void {
  if (process.stderr.isTTY) process.stderr.write('\n');
}

/** Calls `report` every `everyMs` until the returned stop function is called. */
export function every(everyMs: number, report: () => void): () => void {
  const timer = setInterval(report, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
