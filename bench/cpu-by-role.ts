/**
 * CPU time by role while a benchmark runs on this machine: our own processes by pid, and the
 * PostgreSQL server's processes by what pg_stat_activity says they serve (a database's backends, or
 * the server's background work: checkpointer, WAL writer, autovacuum). Read from /proc, so the
 * server must run here (as the bench machine's does). A backend that ends between two samples
 * loses at most one interval of its time; one that existed before start counts from start.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type pg from 'pg';

export const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

/** User plus system time of a process in seconds, or null when it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

type Tracked = { role: string; from: number; last: number };

export function cpuByRole(db: pg.Client, processes: Record<string, number>, databases: Record<string, string>) {
  const tracked = new Map<number, Tracked>();
  /** A database's backends, the server's own processes (no database), or null for other databases. */
  const roleOf = (datname: string | null) => (datname === null ? 'PostgreSQL background' : (databases[datname] ?? null));
  const see = (pid: number, role: string, fresh: boolean) => {
    const now = cpuSeconds(pid);
    if (now === null) return;
    const known = tracked.get(pid);
    if (known) known.last = now;
    else tracked.set(pid, { role, from: fresh ? 0 : now, last: now });
  };
  const sample = async (fresh: boolean) => {
    for (const [role, pid] of Object.entries(processes)) see(pid, role, fresh);
    const { rows } = await db.query<{ pid: number; datname: string | null }>('SELECT pid, datname FROM pg_stat_activity WHERE pid <> pg_backend_pid()');
    for (const row of rows) {
      const role = roleOf(row.datname);
      if (role) see(row.pid, role, fresh);
    }
  };
  return {
    /** Call once before the measured work, then `sample()` every so often during it. */
    start: () => sample(false),
    sample: () => sample(true),
    /** Seconds by role since start, after a last sample. */
    async totals(): Promise<Record<string, number>> {
      await sample(true);
      const totals: Record<string, number> = {};
      for (const { role, from, last } of tracked.values()) totals[role] = (totals[role] ?? 0) + (last - from);
      return totals;
    },
  };
}
