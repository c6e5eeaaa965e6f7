import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseInfo } from "../src/index.js";

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

// Fixtures are INFO replies captured byte for byte from redis-server 7.0.15 (CRLF lines).
describe("parseInfo on real redis-server 7.0 INFO (SPEC §4.4)", () => {
  it("reads a master: run_id, role, both replicas in the new slaveN format", () => {
    const info = parseInfo(fixture("info-7.0-master.txt"));
    expect(info.runId).toMatch(/^[0-9a-f]{40}$/);
    expect(info.role).toBe("master");
    expect(info.replicas).toEqual([
      { ip: "127.0.0.1", port: 27102, state: "online", offset: 116, lag: 0 },
      { ip: "127.0.0.1", port: 27103, state: "online", offset: 116, lag: 0 },
    ]);
    // Replica-side fields are read only after role:slave (sentinelRefreshInstanceInfo).
    expect(info.masterHost).toBeUndefined();
    expect(info.slavePriority).toBeUndefined();
    expect(info.masterLinkDownTimeMs).toBe(0);
  });

  it("reads a replica with its link up: master address, priority, offset, announced", () => {
    const info = parseInfo(fixture("info-7.0-replica.txt"));
    expect(info.role).toBe("slave");
    expect(info.masterHost).toBe("127.0.0.1");
    expect(info.masterPort).toBe(27101);
    expect(info.masterLinkStatus).toBe("up");
    expect(info.masterLinkDownSinceSeconds).toBeUndefined();
    expect(info.masterLinkDownTimeMs).toBe(0);
    expect(info.slavePriority).toBe(42);
    expect(info.slaveReplOffset).toBe(116);
    expect(info.replicaAnnounced).toBe(true);
    expect(info.replicas).toEqual([]);
  });

  it("reads replica_announced:0 from a replica started with replica-announced no", () => {
    const info = parseInfo(fixture("info-7.0-replica-not-announced.txt"));
    expect(info.replicaAnnounced).toBe(false);
    expect(info.slavePriority).toBe(100);
  });

  it("reads a replica whose master was killed: link down, down since 3 s", () => {
    const info = parseInfo(fixture("info-7.0-replica-link-down.txt"));
    expect(info.masterLinkStatus).toBe("down");
    expect(info.masterLinkDownSinceSeconds).toBe(3);
    expect(info.masterLinkDownTimeMs).toBe(3000);
    expect(info.slaveReplOffset).toBe(130);
  });

  it("keeps Redis's -1 s for a replica that never reached its master (-1000 ms, not 0)", () => {
    const info = parseInfo(fixture("info-7.0-replica-never-connected.txt"));
    expect(info.masterLinkStatus).toBe("down");
    expect(info.masterLinkDownSinceSeconds).toBe(-1);
    expect(info.masterLinkDownTimeMs).toBe(-1000);
  });

  it("reads IPv6 addresses on both sides: slave0:ip=::1 and master_host:::1", () => {
    expect(parseInfo(fixture("info-7.0-master-ipv6-replica.txt")).replicas).toEqual([
      { ip: "::1", port: 27112, state: "online", offset: 50, lag: 0 },
    ]);
    const replica = parseInfo(fixture("info-7.0-replica-of-ipv6.txt"));
    expect(replica.masterHost).toBe("::1");
    expect(replica.masterPort).toBe(27111);
  });
});

describe("parseInfo on the formats Redis Sentinel still accepts", () => {
  it("reads the old slaveN:<ip>,<port>,<state> format", () => {
    const info = parseInfo("role:master\r\nslave0:10.0.0.5,6380,online\r\nslave1:10.0.0.6,6381,send_bulk\r\n");
    expect(info.replicas).toEqual([
      { ip: "10.0.0.5", port: 6380, state: "online", offset: undefined, lag: undefined },
      { ip: "10.0.0.6", port: 6381, state: "send_bulk", offset: undefined, lag: undefined },
    ]);
  });

  it("skips an old-format line without the comma after the port, as Redis does", () => {
    expect(parseInfo("slave0:10.0.0.5,6380\r\n").replicas).toEqual([]);
  });

  it("reads announced hostnames and IPv6 in the new format", () => {
    const info = parseInfo(
      "slave0:ip=replica-1.example.internal,port=6379,state=online,offset=5,lag=0\n" +
        "slave1:ip=fe80::1:2,port=7000,state=online,offset=5,lag=1\n",
    );
    expect(info.replicas.map((r) => `${r.ip} ${r.port}`)).toEqual([
      "replica-1.example.internal 6379",
      "fe80::1:2 7000",
    ]);
  });

  it("ignores keys that only start with slave (slave_priority is not a replica line)", () => {
    const info = parseInfo("role:slave\r\nslave_priority:7\r\nslave_read_only:1\r\n");
    expect(info.replicas).toEqual([]);
    expect(info.slavePriority).toBe(7);
  });

  it("accepts replica_priority as the priority field", () => {
    expect(parseInfo("role:slave\r\nreplica_priority:0\r\n").slavePriority).toBe(0);
  });

  it("ignores replica fields that come before the role line", () => {
    const info = parseInfo("master_host:10.1.1.1\r\nrole:slave\r\nmaster_port:6379\r\n");
    expect(info.masterHost).toBeUndefined();
    expect(info.masterPort).toBe(6379);
  });

  it("keeps only the first 40 characters of run_id and drops a short one", () => {
    const id = "a".repeat(40);
    expect(parseInfo(`run_id:${id}ffff\r\n`).runId).toBe(id);
    expect(parseInfo("run_id:abc\r\n").runId).toBeUndefined();
  });

  it("treats any master_link_status other than up as down", () => {
    expect(parseInfo("role:slave\r\nmaster_link_status:UP\r\n").masterLinkStatus).toBe("up");
    expect(parseInfo("role:slave\r\nmaster_link_status:connecting\r\n").masterLinkStatus).toBe(
      "down",
    );
  });
});
