// The subscription registry behind SUBSCRIBE/PSUBSCRIBE/PUBLISH (Redis 7.0 src/pubsub.c).
import { describe, expect, test } from "vitest";
import { PubSubRegistry } from "../src/server/pubsub.js";

const b = (s: string) => Buffer.from(s);

describe("PubSubRegistry", () => {
  test("counts channels plus patterns per subscriber, ignoring repeats", () => {
    const registry = new PubSubRegistry<string>();
    expect(registry.subscribe("a", b("x"))).toBe(true);
    expect(registry.subscribe("a", b("x"))).toBe(false);
    expect(registry.psubscribe("a", b("x*"))).toBe(true);
    expect(registry.count("a")).toBe(2);
    expect(registry.unsubscribe("a", b("nope"))).toBe(false);
    expect(registry.punsubscribe("a", b("x*"))).toBe(true);
    expect(registry.count("a")).toBe(1);
  });

  test("delivers to channel subscribers first, then once per matching pattern subscription", () => {
    const registry = new PubSubRegistry<string>();
    registry.psubscribe("p", b("n*"));
    registry.subscribe("c2", b("news"));
    registry.subscribe("c1", b("news"));
    registry.psubscribe("p", b("*s"));
    registry.psubscribe("c1", b("x*"));
    const receivers = registry.receivers(b("news")).map((r) => [r.subscriber, r.pattern?.toString()]);
    expect(receivers).toEqual([
      ["c2", undefined],
      ["c1", undefined],
      ["p", "n*"],
      ["p", "*s"],
    ]);
  });

  test("keeps binary channel names intact", () => {
    const registry = new PubSubRegistry<string>();
    const channel = Buffer.from([0xc3, 0x28, 0x00, 0xff]);
    registry.subscribe("a", channel);
    expect(registry.channelsOf("a")).toEqual([channel]);
    expect(registry.receivers(Buffer.from([0xc3, 0x28, 0x00, 0xff]))).toHaveLength(1);
    expect(registry.receivers(Buffer.from([0xc3, 0x28, 0x00, 0xfe]))).toHaveLength(0);
  });

  test("removeAll forgets a subscriber everywhere and frees empty channels", () => {
    const registry = new PubSubRegistry<string>();
    registry.subscribe("a", b("x"));
    registry.subscribe("b", b("x"));
    registry.psubscribe("a", b("*"));
    registry.removeAll("a");
    expect(registry.count("a")).toBe(0);
    expect(registry.subscriberCount(b("x"))).toBe(1);
    expect(registry.patternCount).toBe(0);
    registry.removeAll("b");
    expect(registry.activeChannels()).toEqual([]);
  });

  test("lists a subscriber's channels and patterns in subscription order", () => {
    const registry = new PubSubRegistry<string>();
    for (const name of ["c", "a", "b"]) registry.subscribe("s", b(name));
    for (const name of ["z*", "a*"]) registry.psubscribe("s", b(name));
    expect(registry.channelsOf("s").map(String)).toEqual(["c", "a", "b"]);
    expect(registry.patternsOf("s").map(String)).toEqual(["z*", "a*"]);
  });
});
