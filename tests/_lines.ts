// A child process's output, line by line, for the cross-process tests.

/** Reads a child's output line by line, then the rest. */
export class Lines {
  #reader: ReadableStreamDefaultReader<string>;
  #buffer = "";
  #done = false;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  }

  async next(): Promise<string | null> {
    for (;;) {
      const newline = this.#buffer.indexOf("\n");
      if (newline >= 0) {
        const line = this.#buffer.slice(0, newline);
        this.#buffer = this.#buffer.slice(newline + 1);
        return line;
      }
      if (this.#done) return null;
      const { value, done } = await this.#reader.read();
      if (done) this.#done = true;
      else this.#buffer += value;
    }
  }

  async rest(): Promise<string[]> {
    const lines: string[] = [];
    for (
      let line = await this.next();
      line !== null;
      line = await this.next()
    ) {
      lines.push(line);
    }
    if (this.#buffer) lines.push(this.#buffer);
    return lines;
  }
}

export async function textOf(
  stream: ReadableStream<Uint8Array>,
): Promise<string> {
  return await new Response(stream).text();
}
