// The planner's effects carried out against real redis-server 7.0 processes on 127.0.0.1:
// a forced failover, the SLAVEOF/CONFIG REWRITE/CLIENT KILL transaction under
// rename-command, ROLE probes pipelined behind EXEC (fast confirmation), and the
// reconfiguration of the other replica.
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { failover, HOST, info, stopAll, waitFor, type FailoverRun } from "./harness/redis-nodes.js";

afterAll(stopAll);

async function checkOutcome(f: FailoverRun): Promise<void> {
  const { events, m, r1, r2 } = f;
  expect(events).toContain(`+promoted-slave slave ${HOST}:${r1.port} ${HOST} ${r1.port} @ mymaster ${HOST} ${m.port}`);
  expect(events).toContain(`+slave-reconf-done slave ${HOST}:${r2.port} ${HOST} ${r2.port} @ mymaster ${HOST} ${m.port}`);
  expect(events).toContain(`+switch-master mymaster ${HOST} ${m.port} ${HOST} ${r1.port}`);
  expect((await info(r1)).get("role")).toBe("master");
  await waitFor("r2 follows r1", async () => {
    const fields = await info(r2);
    return fields.get("master_port") === String(r1.port) && fields.get("master_link_status") === "up";
  });
  // CONFIG REWRITE (as rs-config) ran inside the transactions.
  expect(readFileSync(r1.conf, "utf8")).not.toMatch(/^replicaof /m);
  expect(readFileSync(r2.conf, "utf8")).toMatch(new RegExp(`^replicaof ${HOST} ${r1.port}$`, "m"));
  // CLIENT KILL TYPE normal closed the application's connection to the promoted replica.
  await f.appClosed;
}

describe("a forced failover carried out on real Redis", () => {
  it("with fast confirmation: one ROLE probe sees the promotion, and it ends in tens of ms", async () => {
    const f = await failover(true);
    await checkOutcome(f);
    await expect(f.r2.client.call("SLAVEOF", "NO", "ONE")).rejects.toThrow(/unknown command/i);
    expect(f.sends.filter((s) => s.to === f.r1.port && s.purpose === "probe-role")).toHaveLength(1);
    expect(f.ms).toBeLessThan(2000);
    console.info(`failover-planner: SENTINEL FAILOVER to +switch-master, fast confirmation: ${f.ms} ms`);
  });

  it("with Redis pacing: the same outcome, through INFO every second", async () => {
    const f = await failover(false);
    await checkOutcome(f);
    expect(f.sends.some((s) => s.purpose === "probe-role")).toBe(false);
    console.info(`failover-planner: SENTINEL FAILOVER to +switch-master, Redis pacing: ${f.ms} ms`);
  });
});
