import type { RoleReply } from "@sentinel-kit/failover-planner";

function text(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (Buffer.isBuffer(value)) return value.toString("latin1");
  return null;
}

/** Reads a ROLE reply: `[master, offset, replicas]` or `[slave, host, port, state, offset]`. */
export function parseRoleReply(value: unknown): RoleReply | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const role = text(value[0]);
  if (role === "master") return { role: "master" };
  if (role !== "slave") return null;
  const host = text(value[1]);
  const port = Number(value[2]);
  const state = text(value[3]);
  if (host === null || !Number.isInteger(port)) return null;
  return { role: "slave", masterHost: host, masterPort: port, linkUp: state === "connected" };
}
