// Runs tests/_sign_in_child.ts and reads what it prints.

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

/**
 * Starts the child and waits for it to print its URLs. With `fileLimit`, it
 * runs under `ulimit -n fileLimit` (through `sh`).
 */
export async function startSignInChild(
  fileLimit?: number,
): Promise<SignInChild> {
  const script = new URL("./_sign_in_child.ts", import.meta.url).pathname;
  const run = [Deno.execPath(), "run", "-A", script];
  const [command, ...args] = fileLimit === undefined
    ? run
    : ["sh", "-c", `ulimit -n ${fileLimit} && exec "$@"`, "sh", ...run];
  const child = new Deno.Command(command, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes("\n")) {
    const next = await reader.read();
    if (next.done) {
      const status = await child.status;
      throw new Error(`the child ended (${status.code}): ${await stderr}`);
    }
    seen += next.value;
  }
  const newline = seen.indexOf("\n");
  const { url, redirect } = JSON.parse(seen.slice(0, newline));
  let stdout = seen.slice(newline + 1);
  return {
    url,
    redirect,
    port: Number(new URL(redirect).port),
    async finish() {
      for (;;) {
        const next = await reader.read();
        if (next.done) break;
        stdout += next.value;
      }
      const status = await child.status;
      return { code: status.code, stdout, stderr: await stderr };
    },
  };
}
