import { createConnection } from "node:net";
import { connect as tlsConnect } from "node:tls";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { AbstractConnector } from "ioredis";
import type { Address } from "./address.js";
import type { SentinelDiscovery } from "./discovery.js";

/** Which node a connector dials. */
export type ConnectorRole = "master" | "replica";

/** What a connector reports about its current connection. */
export interface ConnectorState {
  /** The address of the current (or last) connection. */
  address: Address | undefined;
  /** A connect is resolving: a master change seen now is already what it will dial. */
  resolving: boolean;
}

/** A class for ioredis's `Connector` option: ioredis calls `new Connector(options)`. */
export type DiscoveryConnectorClass = new (options: unknown) => AbstractConnector;

/**
 * Builds a class for ioredis's `Connector` option that dials what `discovery` resolves,
 * re-resolving on every connect (S5 step 4) and retrying with the discovery's retry
 * strategy until it succeeds or the client disconnects. The ROLE check runs inside the
 * resolution; ioredis's own ready check (INFO) is checked again by `check()`.
 * `state.address` is updated on every connect, for callers that must know where a
 * connection goes.
 */
export function createDiscoveryConnector(
  discovery: SentinelDiscovery,
  role: ConnectorRole,
  state: ConnectorState = { address: undefined, resolving: false },
): DiscoveryConnectorClass {
  const tls = discovery.options.nodeAuth?.tls;
  return class DiscoveryConnector extends AbstractConnector {
    constructor(options: unknown) {
      super((options as { disconnectTimeout?: number }).disconnectTimeout ?? 2000);
    }

    override check(info: Record<string, string>): boolean {
      return role === "replica" || info["role"] === "master";
    }

    override async connect(): Promise<Socket | TLSSocket> {
      this.connecting = true;
      state.resolving = true;
      const go = () => this.connecting && !discovery.closed;
      let address: Address;
      try {
        if (role === "master") {
          address = (await discovery.resolveMasterWithRetry(go)).address;
          // A fence that started while resolving: resolve again, which waits it out.
          while (discovery.isFenced(address) && go()) address = (await discovery.resolveMasterWithRetry(go)).address;
        } else {
          address = await resolveReplicaWithRetry(discovery, go);
        }
      } finally {
        state.resolving = false;
      }
      if (!this.connecting) throw new Error("Connection is closed.");
      state.address = address;
      const stream = tls
        ? tlsConnect({ ...tls, host: address.host, port: address.port })
        : createConnection({ host: address.host, port: address.port });
      this.stream = stream;
      stream.once("error", (err: Error) => {
        this.firstError = err;
      });
      return stream;
    }
  };
}

async function resolveReplicaWithRetry(discovery: SentinelDiscovery, shouldContinue: () => boolean): Promise<Address> {
  const strategy = discovery.options.retryStrategy;
  for (let attempt = 1; ; attempt++) {
    try {
      return (await discovery.resolveReplica()).address;
    } catch (error) {
      const delay = strategy ? strategy(attempt, error as Error) : Math.min(50 * 2 ** (attempt - 1), 1000);
      if (delay === null || !shouldContinue()) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
