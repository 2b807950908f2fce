// Writes a token file over and over until killed: for the test that a
// killed writer's temporary file is removed by the next writer.

import { writeSecretFile } from "../mod.ts";

const [path] = Deno.args;
const token = JSON.stringify({ accessToken: "x".repeat(4_000_000) });
console.log("writing");
for (;;) await writeSecretFile(path, token);
