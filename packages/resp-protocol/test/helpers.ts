import { RespDecoder, RespRequestDecoder, type RespLimits, type RespValue } from "../src/index.js";

/** Decodes `chunks` in order with a fresh decoder; returns every reply. */
export function decodeChunks(chunks: Buffer[], limits: Partial<RespLimits> = {}): RespValue[] {
  const out: RespValue[] = [];
  const decoder = new RespDecoder({ onReply: (v) => out.push(v), limits });
  for (const chunk of chunks) decoder.feed(chunk);
  if (decoder.bufferedBytes !== 0) throw new Error(`${decoder.bufferedBytes} bytes left over`);
  return out;
}

/** Decodes commands from `chunks` in order with a fresh request decoder. */
export function decodeCommands(
  chunks: Buffer[],
  options: { limits?: Partial<RespLimits>; authenticated?: boolean } = {},
): string[][] {
  const out: string[][] = [];
  const decoder = new RespRequestDecoder({
    onCommand: (args) => out.push(args.map((a) => a.toString("latin1"))),
    ...options,
  });
  for (const chunk of chunks) decoder.feed(chunk);
  return out;
}

/** The ways a test feeds one input: whole, byte by byte, and in two parts at every position. */
export function chunkings(input: Buffer): Array<{ name: string; chunks: Buffer[] }> {
  const out: Array<{ name: string; chunks: Buffer[] }> = [{ name: "whole", chunks: [input] }];
  out.push({
    name: "byte by byte",
    chunks: Array.from({ length: input.length }, (_, i) => input.subarray(i, i + 1)),
  });
  for (let i = 1; i < input.length; i++) {
    out.push({ name: `split at ${i}`, chunks: [input.subarray(0, i), input.subarray(i)] });
  }
  return out;
}

/** Copies every chunk so that a decoder keeping views of fed chunks is caught by mutation. */
export function copies(chunks: Buffer[]): Buffer[] {
  return chunks.map((c) => Buffer.from(c));
}
