// Flow control of RespRequestDecoder: pause() stops delivery right after a command, the rest
// of the input stays in the decoder, resume() carries on. RespServer runs one command at a
// time with it, as Redis does (src/networking.c processInputBuffer returns while a client is
// blocked and resumes from the same query buffer).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RespProtocolError, RespRequestDecoder, encodeCommand } from "../src/index.js";
import { cut } from "./arbitraries.js";
import { chunkings, decodeCommands } from "./helpers.js";

// Inline and multibulk commands, ignored empty lines and `*0`, an empty argument and one
// argument longer than the others, so that splits fall inside every kind of element. Each
// piece is the bytes of one command, or of nothing (null).
const pieces: Array<[string, string[] | null]> = [
  ["PING\r\n", ["PING"]],
  [encodeCommand(["SET", "key", "va\r\nlue"]).toString("latin1"), ["SET", "key", "va\r\nlue"]],
  ["\r\n*0\r\n", null],
  [encodeCommand(["ECHO", ""]).toString("latin1"), ["ECHO", ""]],
  ["GET key\n", ["GET", "key"]],
  [encodeCommand(["SET", "big", "b".repeat(300)]).toString("latin1"), ["SET", "big", "b".repeat(300)]],
  ["PING x\r\n", ["PING", "x"]],
];
const input = Buffer.from(pieces.map(([bytes]) => bytes).join(""), "latin1");
const commands = pieces.flatMap(([, command]) => (command === null ? [] : [command]));
/** Where each command ends in `input`. */
const ends: number[] = [];
{
  let at = 0;
  for (const [bytes, command] of pieces) {
    at += bytes.length;
    if (command !== null) ends.push(at);
  }
}

/** A decoder that records every command with the bytes it holds at that moment, and pauses. */
function pausingDecoder() {
  const seen: Array<{ args: string[]; buffered: number }> = [];
  const decoder = new RespRequestDecoder({
    onCommand: (args) => {
      seen.push({ args: args.map((a) => a.toString("latin1")), buffered: decoder.bufferedBytes });
      decoder.pause();
    },
  });
  return { decoder, seen };
}

describe("RespRequestDecoder pause and resume", () => {
  it("an unpaused decoder gives the commands the tests expect", () => {
    expect(decodeCommands([input])).toEqual(commands);
  });

  it("pausing at every command, resuming before each feed: same commands, one per delivery, in any chunking", () => {
    for (const { name: how, chunks } of chunkings(input)) {
      const { decoder, seen } = pausingDecoder();
      let fed = 0;
      const consumed: number[] = [];
      // A delivery's end in the stream: what was fed minus what the decoder still holds.
      const step = (action: () => void) => {
        const before = seen.length;
        action();
        // A call delivers at most one command, since every command pauses.
        expect(seen.length - before, how).toBeLessThanOrEqual(1);
        for (const s of seen.slice(before)) consumed.push(fed - s.buffered);
      };
      for (const chunk of chunks) {
        while (decoder.paused) step(() => decoder.resume());
        fed += chunk.length;
        step(() => decoder.feed(chunk));
      }
      while (decoder.paused) step(() => decoder.resume());
      expect(
        seen.map((s) => s.args),
        how,
      ).toEqual(commands);
      expect(decoder.bufferedBytes, how).toBe(0);
      // bufferedBytes inside onCommand is the input after that command, so a caller always
      // knows what the decoder holds for later.
      expect(consumed, how).toEqual(ends);
    }
  });

  it("pausing at every command with everything fed while paused: each resume delivers exactly the next command", () => {
    for (const { name: how, chunks } of chunkings(input)) {
      const { decoder, seen } = pausingDecoder();
      decoder.pause();
      for (const chunk of chunks) decoder.feed(chunk);
      // Nothing is looked at while paused: every byte is queued.
      expect(seen, how).toEqual([]);
      expect(decoder.bufferedBytes, how).toBe(input.length);
      for (let i = 0; i < commands.length; i++) {
        decoder.resume();
        expect(seen.length, how).toBe(i + 1);
        expect(seen[i]!.args, how).toEqual(commands[i]);
        expect(decoder.paused, how).toBe(true);
        expect(decoder.bufferedBytes, how).toBe(input.length - ends[i]!);
      }
      decoder.resume();
      expect(decoder.paused, how).toBe(false);
      expect(seen, how).toHaveLength(commands.length);
    }
  });

  it("keeps the rest of a chunk in place: arguments delivered after a resume are views of the fed chunk", () => {
    const sent = [["SET", "key", "value"], ["GET", "key"], ["DEL", "key"]];
    const args: Buffer[] = [];
    const decoder = new RespRequestDecoder({
      onCommand: (a) => {
        args.push(...a);
        decoder.pause();
      },
    });
    const chunk = Buffer.concat(sent.map(encodeCommand));
    decoder.feed(chunk);
    while (decoder.paused) decoder.resume();
    expect(args.map((a) => a.toString("latin1"))).toEqual(sent.flat());
    for (const arg of args) expect(arg.buffer).toBe(chunk.buffer);
    // Views, so changing the chunk shows through: nothing was copied aside.
    chunk.fill(0x7a);
    expect(args[args.length - 1]!.toString("latin1")).toBe("zzz");
  });

  it("a pause between feeds holds the next command back until resume", () => {
    const seen: string[][] = [];
    const decoder = new RespRequestDecoder({ onCommand: (a) => seen.push(a.map(String)) });
    decoder.feed(Buffer.from("PING\r\n*1\r\n$4\r\nEC"));
    decoder.pause();
    decoder.feed(Buffer.from("HO\r\nPING\r\n"));
    expect(seen).toEqual([["PING"]]);
    // The queued chunk and the 2 payload bytes of the argument in progress (its headers are
    // parsed already).
    expect(decoder.bufferedBytes).toBe(10 + 2);
    decoder.resume();
    expect(seen).toEqual([["PING"], ["ECHO"], ["PING"]]);
    expect(decoder.paused).toBe(false);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it("resume inside onCommand undoes that command's pause", () => {
    const seen: string[] = [];
    const decoder = new RespRequestDecoder({
      onCommand: (a) => {
        seen.push(a[0]!.toString());
        decoder.pause();
        if (a[0]!.toString() !== "STOP") decoder.resume();
      },
    });
    decoder.feed(Buffer.from("A\r\nSTOP\r\nB\r\nC\r\n"));
    expect(seen).toEqual(["A", "STOP"]);
    decoder.resume();
    expect(seen).toEqual(["A", "STOP", "B", "C"]);
    expect(decoder.paused).toBe(false);
  });

  it("a command parsed after a resume sees the authentication set while paused (AUTH then a long command)", () => {
    // Redis checks the unauthenticated limits when it reads a request's header, so AUTH
    // lifts them for the very next pipelined command (src/networking.c processMultibulkBuffer).
    const long = encodeCommand(Array.from({ length: 11 }, () => "x"));
    const seen: number[] = [];
    const decoder = new RespRequestDecoder({
      authenticated: false,
      onCommand: (a) => {
        seen.push(a.length);
        decoder.pause();
      },
    });
    decoder.feed(Buffer.concat([encodeCommand(["AUTH", "pw"]), long]));
    expect(seen).toEqual([2]);
    decoder.authenticated = true;
    decoder.resume();
    expect(seen).toEqual([2, 11]);

    const refused = new RespRequestDecoder({ authenticated: false, onCommand: () => refused.pause() });
    refused.feed(Buffer.concat([encodeCommand(["AUTH", "pw"]), long]));
    expect(() => refused.resume()).toThrow("unauthenticated multibulk length");
  });

  it("malformed input after a pause surfaces on resume, with its stream offset, and is refused afterwards", () => {
    const decoder = new RespRequestDecoder({ onCommand: () => decoder.pause() });
    decoder.feed(Buffer.from("PING\r\nPING\r\n*x\r\n"));
    decoder.resume();
    let error: unknown;
    try {
      decoder.resume();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RespProtocolError);
    expect((error as RespProtocolError).offset).toBe(12);
    expect(() => decoder.feed(Buffer.from("PING\r\n"))).toThrow("invalid multibulk length");
  });

  it("reset forgets a pause and whatever was held", () => {
    const seen: string[] = [];
    const decoder = new RespRequestDecoder({
      onCommand: (a) => {
        seen.push(a[0]!.toString());
        decoder.pause();
      },
    });
    decoder.feed(Buffer.from("A\r\nB\r\n"));
    decoder.feed(Buffer.from("C\r\n"));
    expect(decoder.bufferedBytes).toBe(6);
    decoder.reset();
    expect(decoder.paused).toBe(false);
    expect(decoder.bufferedBytes).toBe(0);
    decoder.feed(Buffer.from("D\r\n"));
    expect(seen).toEqual(["A", "D"]);
  });

  it("property: any pauses at any commands, any chunking, give the commands of an unpaused decoder", () => {
    const arg = fc.oneof(fc.string({ maxLength: 12 }), fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)));
    fc.assert(
      fc.property(
        fc.array(fc.array(arg, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        (cmds, at, pauses) => {
          const bytes = Buffer.concat(cmds.map(encodeCommand));
          const chunks = cut(bytes, at);
          const got: string[][] = [];
          let n = 0;
          const decoder = new RespRequestDecoder({
            onCommand: (a) => {
              got.push(a.map((b) => b.toString("latin1")));
              if (pauses[n++ % pauses.length]) decoder.pause();
            },
          });
          for (const chunk of chunks) {
            decoder.feed(chunk);
            // Sometimes resume at once, sometimes let chunks queue up behind the pause.
            if (pauses[chunk.length % pauses.length]) while (decoder.paused) decoder.resume();
          }
          while (decoder.paused) decoder.resume();
          expect(got).toEqual(decodeCommands(chunks));
          expect(decoder.bufferedBytes).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
