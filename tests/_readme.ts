// The README's fenced code blocks, for the tests that keep it true: the
// TypeScript blocks are type-checked, the quick starts run as written, and the
// recipes' command lines are the ones the tests run.

const ROOT = new URL("..", import.meta.url).pathname;

/** One fenced block of README.md. */
export interface ReadmeBlock {
  /** The fence's language, such as `ts` or `sh`. */
  lang: string;
  /** Words after the language, such as `ignore`. */
  meta: string;
  /** The block's text, ending with a newline. */
  code: string;
  /** The README line of the opening fence (1-based). */
  line: number;
  /** The heading the block sits under, without its `#`s. */
  section: string;
}

/** README.md's text. */
export function readmeText(): string {
  return Deno.readTextFileSync(`${ROOT}README.md`);
}

/** Every fenced block of `text` (default README.md), in order. */
export function readmeBlocks(text: string = readmeText()): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  const lines = text.split("\n");
  let section = "";
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#{1,4} (.*)$/.exec(lines[i]);
    if (heading) section = heading[1];
    const fence = /^```(\w+)?\s*(.*)$/.exec(lines[i]);
    if (!fence) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== "```"; i++) body.push(lines[i]);
    if (i === lines.length) {
      throw new Error(`README.md:${start + 1}: a code block is not closed`);
    }
    blocks.push({
      lang: fence[1] ?? "",
      meta: fence[2].trim(),
      code: `${body.join("\n")}\n`,
      line: start + 1,
      section,
    });
  }
  return blocks;
}

/**
 * The `index`th block of `lang` under the heading that starts with
 * `section`; throws naming what is missing, so a README edit that moves a
 * quick start fails the test that runs it.
 */
export function readmeBlock(
  section: string,
  lang: string,
  index = 0,
): ReadmeBlock {
  const found = readmeBlocks().filter((block) =>
    block.section.startsWith(section) && block.lang === lang
  );
  const block = found[index];
  if (!block) {
    throw new Error(
      `README.md has no ${lang} block #${
        index + 1
      } under "${section}" (found ${found.length})`,
    );
  }
  return block;
}

/** The command lines of a shell block: no comments, no blank lines. */
export function shellLines(block: ReadmeBlock): string[] {
  return block.code.split("\n")
    .map((line) => line.replace(/\s+#\s.*$/, "").trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/** The one line of README.md's shell blocks that starts with `prefix`. */
export function readmeCommand(prefix: string): string {
  const lines = readmeBlocks().filter((block) => block.lang === "sh")
    .flatMap(shellLines).filter((line) => line.startsWith(prefix));
  if (lines.length !== 1) {
    throw new Error(
      `README.md should have exactly one command starting with "${prefix}"; found ${lines.length}: ${
        lines.join(" | ")
      }`,
    );
  }
  return lines[0];
}
