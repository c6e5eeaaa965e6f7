/** What a simulated Redis replies: a value, or an error text (without `-`). */
export type SimReply = { readonly value: unknown } | { readonly error: string };

/** A client connection's transaction state, kept per connection as Redis does. */
export interface SimClientState {
  /** Commands queued after MULTI, or null outside a transaction. */
  multi: (readonly string[])[] | null;
}

/** What executing a command did besides replying, for the world to carry out. */
export interface SideEffects {
  /** CLIENT KILL TYPE normal / pubsub ran: drop those connections (not the caller's). */
  readonly killTypes: ("normal" | "pubsub")[];
  /** SLAVEOF NO ONE ran (inside EXEC or alone). */
  promoted: boolean;
}

/**
 * A simulated redis-server: role, replication source and offset, run id, and the commands
 * a sentinel sends (PING, INFO, ROLE, SLAVEOF/REPLICAOF, MULTI/EXEC, CONFIG REWRITE,
 * CLIENT KILL, PUBLISH, SCRIPT KILL), with Redis 7.0's reply shapes.
 */
export class SimRedis {
  /** The address sentinels use. */
  readonly host: string;
  /** Its port. */
  readonly port: number;
  /** Changes at every restart, as a real run id does. */
  runId: string;
  /** Whether the process runs. */
  alive = true;
  /** Until then the process is stopped (SIGSTOP): requests wait. */
  pausedUntil = 0;
  /** `master` or `slave`. */
  role: "master" | "slave";
  /** The replication source, when a replica. */
  masterOf: { readonly host: string; readonly port: number } | null;
  /** master_repl_offset / slave_repl_offset. */
  offset = 0;
  /** Whether the replication link to its master is up (set by the world). */
  linkUp = false;
  /** Number of CONFIG REWRITE run (the promotion transaction persists the new role). */
  rewrites = 0;
  /** The role as last rewritten to its config file: what a restart comes back as. */
  persistedRole: { role: "master" | "slave"; masterOf: { readonly host: string; readonly port: number } | null };
  #restarts = 0;

  /** A master when `masterOf` is null, else a replica of it. */
  constructor(host: string, port: number, masterOf: { readonly host: string; readonly port: number } | null) {
    this.host = host;
    this.port = port;
    this.role = masterOf === null ? "master" : "slave";
    this.masterOf = masterOf;
    // A world starts with replication established.
    this.linkUp = masterOf !== null;
    this.runId = runIdOf(port, 0);
    this.persistedRole = { role: this.role, masterOf };
  }

  /** `host:port`. */
  get key(): string {
    return `${this.host}:${this.port}`;
  }

  /** SIGKILL. */
  crash(): void {
    this.alive = false;
    this.linkUp = false;
  }

  /** Starts again with the role in its config file and a new run id. */
  restart(): void {
    this.alive = true;
    this.pausedUntil = 0;
    this.runId = runIdOf(this.port, ++this.#restarts);
    this.role = this.persistedRole.role;
    this.masterOf = this.persistedRole.masterOf;
  }

  /** Runs one command from a client; `replicas` are the instances replicating from this one. */
  execute(client: SimClientState, command: readonly string[], replicas: readonly SimRedis[], effects: SideEffects): SimReply {
    const name = (command[0] ?? "").toUpperCase();
    if (client.multi !== null && name !== "EXEC" && name !== "DISCARD" && name !== "MULTI") {
      client.multi.push(command);
      return { value: "QUEUED" };
    }
    switch (name) {
      case "MULTI":
        if (client.multi !== null) return { error: "ERR MULTI calls can not be nested" };
        client.multi = [];
        return { value: "OK" };
      case "EXEC": {
        const queued = client.multi;
        if (queued === null) return { error: "ERR EXEC without MULTI" };
        client.multi = null;
        return { value: queued.map((c) => unwrap(this.execute(client, c, replicas, effects))) };
      }
      case "DISCARD":
        client.multi = null;
        return { value: "OK" };
      case "PING":
        return { value: "PONG" };
      case "INFO":
        return { value: this.info(replicas) };
      case "ROLE":
        return { value: this.roleReply(replicas) };
      case "SLAVEOF":
      case "REPLICAOF": {
        const host = command[1] ?? "";
        const port = command[2] ?? "";
        if (host.toUpperCase() === "NO" && port.toUpperCase() === "ONE") {
          if (this.role === "slave") effects.promoted = true;
          this.role = "master";
          this.masterOf = null;
          this.linkUp = false;
        } else {
          const p = Number(port);
          if (!Number.isInteger(p) || p <= 0) return { error: "ERR Invalid master port" };
          this.role = "slave";
          this.masterOf = { host, port: p };
          this.linkUp = false;
        }
        return { value: "OK" };
      }
      case "CONFIG":
        if ((command[1] ?? "").toUpperCase() === "REWRITE") {
          this.rewrites++;
          this.persistedRole = { role: this.role, masterOf: this.masterOf };
          return { value: "OK" };
        }
        return { error: `ERR unknown subcommand '${command[1] ?? ""}'` };
      case "CLIENT": {
        const sub = (command[1] ?? "").toUpperCase();
        if (sub === "KILL" && (command[2] ?? "").toUpperCase() === "TYPE") {
          const type = (command[3] ?? "").toLowerCase();
          if (type === "normal" || type === "pubsub") effects.killTypes.push(type);
          return { value: 0 };
        }
        return { value: "OK" };
      }
      case "PUBLISH":
        return { value: 0 };
      case "SCRIPT":
        return { error: "NOTBUSY No scripts in execution right now." };
      default:
        return { error: `ERR unknown command '${command[0] ?? ""}'` };
    }
  }

  /** `ROLE` as Redis 7.0 replies it. */
  roleReply(replicas: readonly SimRedis[]): unknown {
    if (this.role === "master") return ["master", this.offset, replicas.map((r) => [r.host, String(r.port), String(r.offset)])];
    return ["slave", this.masterOf?.host ?? "", this.masterOf?.port ?? 0, this.linkUp ? "connected" : "connect", this.offset];
  }

  /** `INFO` as Redis 7.0 formats it (the sections a sentinel reads: Server, Replication). */
  info(replicas: readonly SimRedis[]): string {
    const lines = [
      "# Server",
      "redis_version:7.0.15",
      "redis_mode:standalone",
      "os:Linux 6.1.0 x86_64",
      "arch_bits:64",
      `run_id:${this.runId}`,
      `tcp_port:${this.port}`,
      "",
      "# Replication",
      `role:${this.role}`,
    ];
    if (this.role === "slave") {
      lines.push(
        `master_host:${this.masterOf?.host ?? ""}`,
        `master_port:${this.masterOf?.port ?? 0}`,
        `master_link_status:${this.linkUp ? "up" : "down"}`,
        `master_last_io_seconds_ago:${this.linkUp ? 0 : -1}`,
        "master_sync_in_progress:0",
        `slave_read_repl_offset:${this.offset}`,
        `slave_repl_offset:${this.offset}`,
      );
      if (!this.linkUp) lines.push("master_link_down_since_seconds:1");
      lines.push("slave_priority:100", "slave_read_only:1", "replica_announced:1");
    }
    lines.push(`connected_slaves:${replicas.length}`);
    replicas.forEach((r, n) => lines.push(`slave${n}:ip=${r.host},port=${r.port},state=online,offset=${r.offset},lag=0`));
    lines.push(
      "master_failover_state:no-failover",
      `master_replid:${this.runId}`,
      "master_replid2:0000000000000000000000000000000000000000",
      `master_repl_offset:${this.offset}`,
      "second_repl_offset:-1",
      "repl_backlog_active:1",
      "repl_backlog_size:1048576",
    );
    return `${lines.join("\r\n")}\r\n`;
  }
}

function unwrap(reply: SimReply): unknown {
  return "value" in reply ? reply.value : new Error(reply.error);
}

function runIdOf(port: number, generation: number): string {
  return `${port.toString(16)}${generation.toString(16)}`.padEnd(40, "e");
}
