import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports process CPU time in clock ticks of 10 ms (USER_HZ = 100). */
const MS_PER_TICK = 10;

/**
 * CPU time (user + system, ms) of every `postgres` process on this machine so far, from /proc;
 * null where there is no /proc. The bench's server is the local one and nothing else uses it
 * during a section, so the difference over a window is the database's cost of the window's
 * work: a figure the machine's noise moves far less than a latency. A backend that exits within
 * the window takes its time with it (the app's pool keeps its connections open).
 */
export function postgresCpuMs(): number | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^[0-9]+$/.test(name));
  } catch {
    return null;
  }
  let ticks = 0;
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    if (!stat.includes(' (postgres) ')) continue;
    // Fields after the command name: state is the first, utime the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * MS_PER_TICK;
}
