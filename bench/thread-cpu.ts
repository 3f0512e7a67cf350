/**
 * CPU time of the calling thread (main thread or worker), from Linux's /proc/thread-self/stat:
 * utime + stime, in clock ticks of 10 ms. Undefined where /proc is missing. The LTI launch benchmark
 * uses it rather than wall-clock busy time, because other programs on a shared machine take the
 * core away from us, and that time is not ours.
 */
import { readFileSync } from 'node:fs';

export function threadCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // Fields after the command name (which may contain spaces, so split after its closing parenthesis).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
