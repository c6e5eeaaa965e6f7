// The promotion transaction (sentinel.c sentinelSendSlaveOf), rename-command
// (sentinelInstanceMapCommand) and the event payload formats of SPEC §3 (sentinelEvent %@).
import { describe, expect, it } from "vitest";
import {
  instanceName,
  mapCommand,
  masterDetails,
  replicaDetails,
  roleProbe,
  sameAddress,
  slaveOfTransaction,
  switchMasterPayload,
} from "@sentinel-kit/failover-planner";

describe("slaveOfTransaction", () => {
  it("sends MULTI, SLAVEOF NO ONE, CONFIG REWRITE, CLIENT KILL normal and pubsub, EXEC", () => {
    expect(slaveOfTransaction(null, {})).toEqual([
      ["MULTI"],
      ["SLAVEOF", "NO", "ONE"],
      ["CONFIG", "REWRITE"],
      ["CLIENT", "KILL", "TYPE", "normal"],
      ["CLIENT", "KILL", "TYPE", "pubsub"],
      ["EXEC"],
    ]);
  });

  it("points a replica at host and port", () => {
    expect(slaveOfTransaction({ host: "10.1.1.1", port: 7000 }, {})[1]).toEqual([
      "SLAVEOF",
      "10.1.1.1",
      "7000",
    ]);
  });

  it("renames every command the master renames, matching names case-insensitively", () => {
    const renamed = { SlaveOf: "x-slaveof", config: "x-config", CLIENT: "x-client", multi: "m", exec: "e" };
    expect(slaveOfTransaction(null, renamed)).toEqual([
      ["m"],
      ["x-slaveof", "NO", "ONE"],
      ["x-config", "REWRITE"],
      ["x-client", "KILL", "TYPE", "normal"],
      ["x-client", "KILL", "TYPE", "pubsub"],
      ["e"],
    ]);
  });

  it("does not apply a rename of REPLICAOF to the SLAVEOF Redis sends", () => {
    expect(mapCommand({ replicaof: "r" }, "SLAVEOF")).toBe("SLAVEOF");
    expect(roleProbe({ ROLE: "who" })).toEqual([["who"]]);
  });
});

describe("event payloads (SPEC §3)", () => {
  const m = { host: "10.0.0.1", port: 6379 };
  it("master details: master <name> <ip> <port>", () => {
    expect(masterDetails("mymaster", m)).toBe("master mymaster 10.0.0.1 6379");
  });
  it("replica details: slave <ip:port> <ip> <port> @ <master> <ip> <port>", () => {
    expect(replicaDetails({ host: "10.0.0.2", port: 6380 }, "mymaster", m)).toBe(
      "slave 10.0.0.2:6380 10.0.0.2 6380 @ mymaster 10.0.0.1 6379",
    );
  });
  it("brackets IPv6 addresses in instance names only", () => {
    const v6 = { host: "::1", port: 6380 };
    expect(instanceName(v6)).toBe("[::1]:6380");
    expect(replicaDetails(v6, "m", m)).toBe("slave [::1]:6380 ::1 6380 @ m 10.0.0.1 6379");
  });
  it("+switch-master: <name> <old-ip> <old-port> <new-ip> <new-port>", () => {
    expect(switchMasterPayload("mymaster", m, { host: "10.0.0.2", port: 6380 })).toBe(
      "mymaster 10.0.0.1 6379 10.0.0.2 6380",
    );
  });
  it("compares addresses by port and case-insensitive host", () => {
    expect(sameAddress({ host: "Redis-A", port: 1 }, { host: "redis-a", port: 1 })).toBe(true);
    expect(sameAddress({ host: "redis-a", port: 1 }, { host: "redis-a", port: 2 })).toBe(false);
  });
});
