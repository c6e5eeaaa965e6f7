// RESP decode and encode throughput of @sentinel-kit/resp-protocol against redis-parser 3
// (the parser ioredis uses, with returnBuffers as ioredis sets it) and against a naive
// Buffer.concat command encoder, on the same buffers in the same process.
import { createRequire } from "node:module";
import { RespDecoder, encodeCommand } from "@sentinel-kit/resp-protocol";
import type { BenchSuite } from "./suite.js";

interface RedisParser {
  execute(chunk: Buffer): void;
}
type RedisParserConstructor = new (options: {
  returnReply: (reply: unknown) => void;
  returnError: (error: unknown) => void;
  returnBuffers: boolean;
}) => RedisParser;

const RedisParserClass = createRequire(import.meta.url)("redis-parser") as RedisParserConstructor;

/** Size of the slices fed to the decoders, like socket reads. */
const CHUNK = 16 * 1024;
/** Roughly how many bytes of replies each case decodes per run. */
const CASE_BYTES = 4 * 1024 * 1024;
const WARMUP_RUNS = 5;
const RUNS = 11;
/** Shortest timed sample, in CPU seconds. */
const SAMPLE_SECONDS = 0.03;

const bulk = (size: number, seed: number): string => {
  const body = Buffer.alloc(size);
  for (let i = 0; i < size; i++) body[i] = 97 + ((i + seed) % 26);
  return `$${size}\r\n${body.toString("latin1")}\r\n`;
};
const array10 = (seed: number): string =>
  `*10\r\n${Array.from({ length: 10 }, (_, i) => bulk(16, seed + i)).join("")}`;

/** One representative mix: mostly small status, integer and bulk replies, some arrays. */
const mixPattern = (i: number): string =>
  [
    "+OK\r\n",
    `:${i % 100_000}\r\n`,
    bulk(16, i),
    "+OK\r\n",
    array10(i),
    `:${i}\r\n`,
    "$-1\r\n",
    bulk(1024, i),
    bulk(16, i + 1),
    "-ERR no such key\r\n",
  ][i % 10]!;

const multiDigitInteger = (i: number): string => {
  const digits = 2 + (i % 15);
  const magnitude = 10 ** (digits - 1) + ((i * 7_919) % 9 ** (digits - 1));
  return `:${i % 3 === 2 ? "-" : ""}${magnitude}\r\n`;
};

interface DecodeCase {
  readonly name: string;
  readonly reply: (i: number) => string;
}

const decodeCases: DecodeCase[] = [
  { name: "+OK", reply: () => "+OK\r\n" },
  { name: ":1", reply: () => ":1\r\n" },
  { name: ":12345", reply: () => ":12345\r\n" },
  // Counters, timestamps and IDs: 2 to 16 digits, every third one negative.
  { name: "integers, 2 to 16 digits", reply: multiDigitInteger },
  { name: "bulk 16 B", reply: (i) => bulk(16, i) },
  { name: "bulk 1 KiB", reply: (i) => bulk(1024, i) },
  { name: "bulk 64 KiB", reply: (i) => bulk(64 * 1024, i) },
  { name: "array of 10 bulk (16 B)", reply: array10 },
  { name: "mix", reply: mixPattern },
  // redis-parser turns every error reply into an Error with a stack trace: this row shows
  // the mix without that cost.
  { name: "mix without error replies", reply: (i) => (i % 10 === 9 ? "+OK\r\n" : mixPattern(i)) },
];

function buildInput(c: DecodeCase): { chunks: Buffer[]; replies: number; bytes: number } {
  const parts: string[] = [];
  let bytes = 0;
  let replies = 0;
  while (bytes < CASE_BYTES) {
    const r = c.reply(replies);
    parts.push(r);
    bytes += r.length;
    replies++;
  }
  const all = Buffer.from(parts.join(""), "latin1");
  const chunks: Buffer[] = [];
  for (let i = 0; i < all.length; i += CHUNK) chunks.push(all.subarray(i, i + CHUNK));
  return { chunks, replies, bytes: all.length };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * CPU seconds the process spent in `run`: on a shared machine, wall time mostly measures the
 * neighbours, CPU time stays put.
 */
function time(run: () => number, expected: number): number {
  const start = process.cpuUsage();
  const count = run();
  const used = process.cpuUsage(start);
  const elapsed = (used.user + used.system) / 1e6;
  if (count !== expected) throw new Error(`decoded ${count} replies, expected ${expected}`);
  return elapsed;
}

function decodeOurs(chunks: Buffer[]): number {
  let count = 0;
  const decoder = new RespDecoder({ onReply: () => count++ });
  for (const chunk of chunks) decoder.feed(chunk);
  return count;
}

function decodeRedisParser(chunks: Buffer[]): number {
  let count = 0;
  const parser = new RedisParserClass({
    returnReply: () => count++,
    returnError: () => count++,
    returnBuffers: true,
  });
  for (const chunk of chunks) parser.execute(chunk);
  return count;
}

/** Runs `run` `times` times; returns the total count. */
function repeat(run: () => number, times: number): () => number {
  return () => {
    let total = 0;
    for (let i = 0; i < times; i++) total += run();
    return total;
  };
}

/**
 * Median seconds per call of `a` and of `b`. Each sample repeats the call until it lasts
 * about SAMPLE_SECONDS, so that timer and accounting granularity do not matter; the two
 * implementations take turns going first, so neither always gets the warmer cache.
 */
function compare(a: () => number, b: () => number, expected: number): [number, number] {
  for (let i = 0; i < WARMUP_RUNS; i++) {
    a();
    b();
  }
  const once = Math.min(time(a, expected), time(b, expected));
  const times = Math.max(1, Math.ceil(SAMPLE_SECONDS / Math.max(once, 1e-6)));
  const ra = repeat(a, times);
  const rb = repeat(b, times);
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    if (i % 2 === 0) {
      ta.push(time(ra, expected * times) / times);
      tb.push(time(rb, expected * times) / times);
    } else {
      tb.push(time(rb, expected * times) / times);
      ta.push(time(ra, expected * times) / times);
    }
  }
  return [median(ta), median(tb)];
}

const CRLF = Buffer.from("\r\n");

/** The obvious encoder: one small Buffer per piece, then Buffer.concat. */
function naiveEncodeCommand(args: ReadonlyArray<string | Buffer | number>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = Buffer.isBuffer(arg) ? arg : Buffer.from(String(arg));
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, CRLF);
  }
  return Buffer.concat(parts);
}

function commandSet(): Array<Array<string | Buffer | number>> {
  const commands: Array<Array<string | Buffer | number>> = [];
  for (let i = 0; i < 20_000; i++) {
    switch (i % 4) {
      case 0:
        commands.push(["GET", `user:${i}`]);
        break;
      case 1:
        commands.push(["SET", `user:${i}`, `value-${i}-0123456789abcdef`]);
        break;
      case 2:
        commands.push(["HSET", `h:${i}`, "name", "sentinel", "port", 26379, "ttl", i]);
        break;
      default:
        commands.push(["PUBLISH", "__sentinel__:hello", Buffer.from(`127.0.0.1,26379,${i},0`)]);
    }
  }
  return commands;
}

const fmt = (n: number): string =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0);

/** The "resp" suite of `pnpm bench`. */
export const respSuite: BenchSuite = {
  name: "resp",
  title: "RESP codec: @sentinel-kit/resp-protocol vs redis-parser 3.0.0 and a naive encoder",
  async run() {
    console.log(
      `Decode: ~${CASE_BYTES / 1024 / 1024} MiB of replies per case fed in ${CHUNK / 1024} KiB chunks; ` +
        `median of ${RUNS} runs after ${WARMUP_RUNS} warm-ups, rates per CPU-second. redis-parser with returnBuffers (as ioredis uses it).\n`,
    );
    console.log("| case | replies | sentinel-kit replies/s | MB/s | redis-parser replies/s | MB/s | ratio |");
    console.log("|---|---:|---:|---:|---:|---:|---:|");
    const ratios: Array<[string, number]> = [];
    for (const c of decodeCases) {
      const { chunks, replies, bytes } = buildInput(c);
      const [ours, theirs] = compare(
        () => decodeOurs(chunks),
        () => decodeRedisParser(chunks),
        replies,
      );
      const ratio = theirs / ours;
      ratios.push([c.name, ratio]);
      console.log(
        `| ${c.name} | ${replies} | ${fmt(replies / ours)} | ${(bytes / ours / 1e6).toFixed(0)} | ` +
          `${fmt(replies / theirs)} | ${(bytes / theirs / 1e6).toFixed(0)} | ${ratio.toFixed(2)}x |`,
      );
    }

    const commands = commandSet();
    const encodeAll = (encode: (a: ReadonlyArray<string | Buffer | number>) => Buffer) => () => {
      let n = 0;
      for (const command of commands) n += encode(command).length > 0 ? 1 : 0;
      return n;
    };
    for (const command of commands.slice(0, 4)) {
      if (!encodeCommand(command).equals(naiveEncodeCommand(command))) {
        throw new Error(`encoders disagree on ${String(command[0])}`);
      }
    }
    const [ourEncode, naiveEncode] = compare(
      encodeAll(encodeCommand),
      encodeAll(naiveEncodeCommand),
      commands.length,
    );
    const encodeRatio = naiveEncode / ourEncode;
    console.log(
      `\n| encode | commands | sentinel-kit commands/s | naive Buffer.concat commands/s | ratio |\n` +
        `|---|---:|---:|---:|---:|\n` +
        `| GET/SET/HSET/PUBLISH | ${commands.length} | ${fmt(commands.length / ourEncode)} | ` +
        `${fmt(commands.length / naiveEncode)} | ${encodeRatio.toFixed(2)}x |`,
    );

    const mix = ratios.find(([name]) => name === "mix")![1];
    const worst = ratios.reduce((a, b) => (b[1] < a[1] ? b : a));
    const met = mix >= 1.5 && worst[1] >= 1.0 && encodeRatio >= 2;
    console.log(
      `\nGoals (mix >= 1.5x: ${mix.toFixed(2)}x; every row >= 1.0x: lowest ${worst[0]} ${worst[1].toFixed(2)}x; ` +
        `encode >= 2x: ${encodeRatio.toFixed(2)}x): ${met ? "met" : "NOT met"}`,
    );
  },
};
