// A stand-in browser that records the arguments it got: `_record_args.ts FILE ...ARGS`.
const [file, ...rest] = Deno.args;
await Deno.writeTextFile(file, JSON.stringify(rest));
