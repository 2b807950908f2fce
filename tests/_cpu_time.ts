// CPU time (user + system) of whole `deno` subprocesses, for the import cost
// bench. CPU time is far steadier than wall time on a shared, loaded machine:
// waiting for a core does not count. Read with getrusage(RUSAGE_CHILDREN)
// through FFI (Linux, macOS), which adds up the CPU time of every finished
// child of this process, in microseconds.

import { runDeno } from "./_timed_run.ts";

const RUSAGE_CHILDREN = -1;

const libc = Deno.dlopen(
  Deno.build.os === "darwin" ? "libSystem.dylib" : "libc.so.6",
  { getrusage: { parameters: ["i32", "buffer"], result: "i32" } },
);

/** CPU time of this process's finished children so far, in milliseconds. */
function childrenCpuMs(): number {
  // struct rusage starts with ru_utime and ru_stime, each { tv_sec, tv_usec }.
  const usage = new BigInt64Array(18);
  if (libc.symbols.getrusage(RUSAGE_CHILDREN, usage) !== 0) {
    throw new Error("getrusage failed");
  }
  // tv_usec is 32 bits on macOS (then padded): its low 32 bits hold it.
  const [userSeconds, userMicros, systemSeconds, systemMicros] = usage;
  const micros = (userMicros & 0xffffffffn) + (systemMicros & 0xffffffffn);
  return Number(userSeconds + systemSeconds) * 1000 + Number(micros) / 1000;
}

/** The CPU time in milliseconds that `deno ARGS`, run in the repository, takes. */
export async function cpuTimeMs(args: string[]): Promise<number> {
  const before = childrenCpuMs();
  const code = await runDeno(args);
  const spent = childrenCpuMs() - before;
  if (code !== 0) throw new Error(`deno ${args.join(" ")} exited ${code}`);
  return spent;
}

/**
 * Runs each command `rounds` times, interleaved (one of each per round, so
 * the machine's load hits all alike), and returns each one's median CPU time
 * in milliseconds, in the order given.
 */
export async function medianCpuTimes(
  commands: string[][],
  rounds: number,
): Promise<number[]> {
  const samples: number[][] = commands.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, args] of commands.entries()) {
      samples[i].push(await cpuTimeMs(args));
    }
  }
  return samples.map((times) => {
    const sorted = times.toSorted((a, b) => a - b);
    const middle = sorted.length >> 1;
    return sorted.length % 2
      ? sorted[middle]
      : (sorted[middle - 1] + sorted[middle]) / 2;
  });
}
