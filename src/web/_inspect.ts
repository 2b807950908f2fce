// Internal: redacted renderings for Deno's and Node's inspect (console.log),
// set on each instance by its constructor. A class with a computed
// `[Symbol.for(...)]` member counts as having side effects to bundlers
// (esbuild, `deno bundle`): they then keep it, and all it imports, in every
// bundle of web.ts, used or not. Own, non-enumerable properties are not.

/** The `inspect` function both runtimes hand to a custom rendering. */
export type Inspect = (value: unknown, options: unknown) => string;

/**
 * Makes `Deno.inspect` and Node's `util.inspect` show `target` as `render`
 * returns.
 *
 * @param target The instance (`this` in its constructor).
 * @param render The rendering, given the runtime's `inspect` and options.
 */
export function inspectAs(
  target: object,
  render: (inspect: Inspect, options: unknown) => string,
): void {
  Object.defineProperty(target, Symbol.for("Deno.customInspect"), {
    value: (inspect: Inspect, options: unknown) => render(inspect, options),
    configurable: true,
  });
  Object.defineProperty(target, Symbol.for("nodejs.util.inspect.custom"), {
    value: (_depth: number, options: unknown, inspect: Inspect) =>
      render(inspect, options),
    configurable: true,
  });
}
