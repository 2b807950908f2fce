// Runs tests/_sign_in_child.ts and reads what it prints.

import { spawnDeno } from "./_cli.ts";

/** A sign-in running in a child process. */
export interface SignInChild {
  /** The authorize URL: visiting it completes the sign-in. */
  url: string;
  /** The redirect URL the callback server answers. */
  redirect: string;
  /** The callback server's port. */
  port: number;
  /** Waits for the child to end: its exit code, the rest of stdout, all of stderr. */
  finish(): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** Starts the child and waits for it to print its URLs. */
export async function startSignInChild(): Promise<SignInChild> {
  const child = spawnDeno([
    "run",
    "-A",
    new URL("./_sign_in_child.ts", import.meta.url).pathname,
  ]);
  const [line] = await child.waitForStdout(/^.*\n/);
  const { url, redirect } = JSON.parse(line);
  return {
    url,
    redirect,
    port: Number(new URL(redirect).port),
    async finish() {
      const { code, stdout, stderr } = await child.finish();
      return { code, stdout: stdout.slice(line.length), stderr };
    },
  };
}
