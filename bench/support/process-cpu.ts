import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user and system) used so far by one process, from /proc/<pid>/stat; with
 * `reapedChildren`, also by its children that have ended (a server's finished workers).
 */
export function processCpuSeconds(pid: number, options: { reapedChildren?: boolean } = {}): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // utime, stime, cutime and cstime are fields 14 to 17; the command name before them may hold spaces, so count from its end.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const children = options.reapedChildren === true ? Number(fields[13]) + Number(fields[14]) : 0;
    return (Number(fields[11]) + Number(fields[12]) + children) / CLOCK_TICKS_PER_SECOND;
  } catch {
    // The process ended between listing and reading: its time is no longer counted anywhere.
    return 0;
  }
}

/**
 * CPU seconds used so far by every process whose command name is `name` (e.g. each Postgres
 * backend), counting those that ended through the parent that reaped them: a backend or an
 * autovacuum worker that exits mid-measurement must not take its time with it.
 */
export function cpuSecondsOf(name: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let comm: string;
    try {
      comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (comm === name) total += processCpuSeconds(Number(entry), { reapedChildren: true });
  }
  return total;
}

/** Each part's CPU seconds as microseconds per unit of work (a post, a pledge), with their total. */
export function cpuMicrosPer(cpuSeconds: Record<string, number>, units: number): Record<string, number> {
  const micros = Object.fromEntries(
    Object.entries(cpuSeconds).map(([part, seconds]) => [part, Math.round((seconds * 1e6) / Math.max(1, units))]),
  );
  return { ...micros, total: Object.values(micros).reduce((sum, n) => sum + n, 0) };
}
