/**
 * Host names under `resolve-hostnames yes` (redis/redis#8282, #10146): an instance is known
 * by the name it was given and reached at its last resolved address; the name is resolved
 * again whenever its link is made or lost, so a changed address is followed, and a failed
 * resolution keeps the last address instead of dropping or replacing the instance.
 *
 * @module
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { isIpLiteral } from "@sentinel-kit/gossip";

/** Resolves a host name to one address; rejects when it cannot. */
export type HostLookup = (host: string) => Promise<string>;

/** Redis's anetResolve: the first address, IPv4 first, as getaddrinfo orders them. */
export const systemLookup: HostLookup = async (host) => (await dnsLookup(host, { verbatim: false })).address;

/** The last address each host name resolved to. */
export class HostResolver {
  readonly #lookup: HostLookup;
  readonly #onFailure: (host: string) => void;
  readonly #known = new Map<string, string>();

  /**
   * @param lookup - How names are resolved.
   * @param onFailure - Told of each failed resolution (Redis logs `Failed to resolve hostname`).
   */
  constructor(lookup: HostLookup, onFailure: (host: string) => void) {
    this.#lookup = lookup;
    this.#onFailure = onFailure;
  }

  /** The host's last resolved address; the host itself when it is an IP or never resolved. */
  address(host: string): string {
    return this.#known.get(host) ?? host;
  }

  /**
   * Resolves `host` again (an IP literal is its own address).
   *
   * @returns The address, or undefined when the resolution failed (the last one is kept).
   */
  async refresh(host: string): Promise<string | undefined> {
    if (isIpLiteral(host)) return host;
    try {
      const address = await this.#lookup(host);
      this.#known.set(host, address);
      return address;
    } catch {
      this.#onFailure(host);
      return undefined;
    }
  }
}
