import { Redis } from "ioredis";
import { waitFor } from "@sentinel-kit/testkit";
import { expect } from "vitest";
import { createRedis, SWITCH_MASTER_CHANNEL } from "../src/index.js";
import { MASTER, type Topology } from "./topology.js";
import { startWriteLoop, type WriteLoop, type WriteRecord } from "./writes.js";

/**
 * A test calling {@link followFailover} needs a timeout above this: the sum of its bounded
 * waits (10 s for writes to reach the master, 30 s for the switch, 15 s for writes after
 * it, 10 s for the hint), sized for a loaded 2-core CI machine.
 */
export const FOLLOW_FAILOVER_TIMEOUT_MS = 75_000;

/** What {@link followFailover} saw, for the checks a caller adds. */
export interface FollowedFailover {
  /** Every write, in order. */
  readonly records: readonly WriteRecord[];
  /** The port `+switch-master` named. */
  readonly newPort: number;
  /** `performance.now()` just before the trigger. */
  readonly triggeredAt: number;
  /** When the client's discovery first changed master. */
  readonly knownAt: number;
  /** When a sentinel first published `+switch-master`. */
  readonly switchSeenAt: number;
}

/** How {@link followFailover} runs its failover. */
export interface FollowFailoverOptions {
  /** Key prefix of the writes. */
  readonly prefix: string;
  /** Starts the failover (SIGKILL, SENTINEL FAILOVER, ...). */
  readonly trigger: () => Promise<void>;
  /** Runs once the client and a sentinel both know of the switch. */
  readonly afterSwitch?: () => Promise<void>;
  /** The least time writes go on after the switch (and {@link afterSwitch}), ms. */
  readonly settleMs: number;
}

/**
 * SPEC §5.1 steps 4 and 9, §5.3: a createRedis client writes in a loop through a failover
 * of `topo`; once it knows of the switch, no write of it may be acknowledged by any server
 * but the new master (the old one stays writable for a while after +switch-master), and
 * it must have learned of the switch from the hint path, within 1 s of the event.
 */
export async function followFailover(topo: Topology, options: FollowFailoverOptions): Promise<FollowedFailover> {
  const oldPort = topo.master.port;
  const client = createRedis({ name: MASTER, sentinels: topo.sentinelAddresses });
  const observers = topo.sentinelAddresses.map((s) => new Redis({ host: s.host, port: s.port, protocol: 2 }));
  let switchSeenAt: number | undefined;
  let newPort: number | undefined;
  let knownAt: number | undefined;
  const hints: number[] = [];
  let loop: WriteLoop | undefined;
  try {
    for (const observer of observers) {
      observer.on("error", () => undefined);
      observer.on("message", (_channel: string, message: string) => {
        switchSeenAt ??= performance.now();
        newPort ??= Number(message.split(" ")[4]);
      });
      await observer.subscribe(SWITCH_MASTER_CHANNEL);
    }
    client.discovery.onHint((_event, sentinel) => hints.push(sentinel.port));
    client.discovery.onChange((change) => {
      if (change.from !== undefined) knownAt ??= performance.now();
    });
    await client.redis.set("warm", "1");
    const writes = startWriteLoop(client.redis, options.prefix);
    loop = writes;
    await waitFor(() => writes.records.some((r) => r.port === oldPort), { timeoutMs: 10_000, what: "writes to reach the master" });
    const triggeredAt = performance.now();
    await options.trigger();
    await waitFor(() => knownAt !== undefined && switchSeenAt !== undefined, {
      timeoutMs: 30_000,
      intervalMs: 20,
      what: "the client and a sentinel to report the switch",
    });
    const known = knownAt!;
    await options.afterSwitch?.();
    const settle = performance.now();
    // Polls the growing record: a fixed pause can end before a slow machine's first write
    // on the new master.
    await waitFor(
      () => performance.now() - settle >= options.settleMs && writes.records.some((r) => r.port !== undefined && r.sentAt > known),
      { timeoutMs: 15_000, intervalMs: 20, what: "writes acknowledged after the switch" },
    );
    // The hint may arrive after a reconnection already told the client of the switch.
    await waitFor(() => hints.length > 0, { timeoutMs: 10_000, what: "a sentinel's hint to reach the client" });
    const records = await writes.stop();

    const acknowledged = records.filter((r) => r.port !== undefined);
    expect(acknowledged.some((r) => r.port === oldPort && r.sentAt < triggeredAt)).toBe(true);
    const afterKnown = acknowledged.filter((r) => r.sentAt > known);
    expect(afterKnown.length).toBeGreaterThan(0);
    expect(afterKnown.filter((r) => r.port !== newPort)).toEqual([]);
    // The hint path, not a timeout, made the switch: discovery knew within 1 s of the event.
    expect(known - switchSeenAt!).toBeLessThan(1000);
    expect(client.discovery.master?.port).toBe(newPort);
    return { records, newPort: newPort!, triggeredAt, knownAt: known, switchSeenAt: switchSeenAt! };
  } finally {
    await loop?.stop();
    for (const observer of observers) observer.disconnect();
    await client.close();
  }
}
