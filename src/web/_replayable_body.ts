// Internal: a request body that can be sent again after a 401. Strings,
// blobs, buffers, form data and search params can; a ReadableStream can only
// be read once, so it is buffered when it is small enough.

import { InvalidArgumentError } from "./errors.ts";

/** The largest streamed body buffered for a retry: 1 MiB. */
export const MAX_REPLAY_BYTES = 1024 * 1024;

/** The init for the first attempt, and for a retry when there can be one. */
export interface PreparedRequest {
  first: RequestInit;
  retry: RequestInit | undefined;
}

/**
 * Makes `init` sendable twice: a `ReadableStream` body of at most
 * {@linkcode MAX_REPLAY_BYTES} is read into memory; a longer one is sent as
 * a stream once (the bytes already read first) and gets no retry.
 */
export async function prepareRequest(
  init: RequestInit,
): Promise<PreparedRequest> {
  if (!(init.body instanceof ReadableStream)) {
    return { first: init, retry: init };
  }
  const reader = init.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size <= MAX_REPLAY_BYTES) {
    const { done, value } = await reader.read();
    if (done) {
      const bytes = concat(chunks, size);
      const buffered = { ...init, body: bytes };
      return { first: buffered, retry: { ...buffered } };
    }
    const chunk = toBytes(value);
    chunks.push(chunk);
    size += chunk.byteLength;
  }
  const rest = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(toBytes(value));
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  // `duplex` is what Node's fetch wants for a streamed body.
  return {
    first: { ...init, body: rest, duplex: "half" } as RequestInit,
    retry: undefined,
  };
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === "string") return new TextEncoder().encode(chunk);
  if (ArrayBuffer.isView(chunk)) {
    return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new InvalidArgumentError(
    "A ReadableStream request body must yield bytes (Uint8Array) or strings",
  );
}

function concat(chunks: Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
