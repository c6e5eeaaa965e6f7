/**
 * TLS for the daemon: the `tls-*` directives turned into `node:tls` options for the
 * `tls-port` listener and for outgoing links under `tls-replication` (Redis's tls.c).
 *
 * @module
 */
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { ConnectionOptions, SecureVersion, TlsOptions } from "node:tls";
import type { SentinelConfig } from "@sentinel-kit/config-store";

/** The certificate and key files, read. */
export interface TlsFiles {
  /** `tls-cert-file`. */
  readonly cert: Buffer;
  /** `tls-key-file`. */
  readonly key: Buffer;
  /** `tls-client-cert-file`, else `tls-cert-file`: what outgoing links present. */
  readonly clientCert: Buffer;
  /** `tls-client-key-file`, else `tls-key-file`. */
  readonly clientKey: Buffer;
  /** `tls-ca-cert-file` and the certificates in `tls-ca-cert-dir`, if either is set. */
  readonly ca: Buffer[] | undefined;
}

/** The TLS configuration could not be loaded: Redis stops the start ("Failed to configure TLS"). */
export class TlsConfigError extends Error {
  /** Always `TlsConfigError`. */
  override readonly name = "TlsConfigError";
  /** The directive at fault. */
  readonly directive: string;

  /**
   * @param directive - The directive whose file could not be used.
   * @param reason - Why.
   */
  constructor(directive: string, reason: string) {
    super(`Failed to configure TLS: ${directive}: ${reason}`);
    this.directive = directive;
  }
}

type ServerConfig = SentinelConfig["server"];

async function read(directive: string, path: string): Promise<Buffer> {
  if (path === "") throw new TlsConfigError(directive, "no file given");
  try {
    return await readFile(path);
  } catch (error) {
    throw new TlsConfigError(directive, `${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// OpenSSL's CApath holds certificates under hashed names (c_rehash); any PEM certificate there counts.
async function readCaDir(dir: string): Promise<Buffer[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (error) {
    throw new TlsConfigError("tls-ca-cert-dir", `${dir}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const certs: Buffer[] = [];
  for (const name of names) {
    const text = await readFile(join(dir, name)).catch(() => undefined);
    if (text?.includes("-----BEGIN CERTIFICATE-----") === true) certs.push(text);
  }
  return certs;
}

/** Reads the files the `tls-*` directives name; throws {@link TlsConfigError} as Redis refuses to start. */
export async function loadTlsFiles(server: ServerConfig): Promise<TlsFiles> {
  const cert = await read("tls-cert-file", server.tlsCertFile);
  const key = await read("tls-key-file", server.tlsKeyFile);
  const ca = [
    ...(server.tlsCaCertFile === "" ? [] : [await read("tls-ca-cert-file", server.tlsCaCertFile)]),
    ...(server.tlsCaCertDir === "" ? [] : await readCaDir(server.tlsCaCertDir)),
  ];
  const separateClient = server.tlsClientCertFile !== "";
  return {
    cert,
    key,
    ca: ca.length === 0 ? undefined : ca,
    clientCert: separateClient ? await read("tls-client-cert-file", server.tlsClientCertFile) : cert,
    clientKey: separateClient ? await read("tls-client-key-file", server.tlsClientKeyFile) : key,
  };
}

// tls-protocols: "TLSv1.2 TLSv1.3" becomes the lowest and highest version.
function versions(protocols: string): { minVersion?: SecureVersion; maxVersion?: SecureVersion } {
  const listed = protocols.split(/\s+/).filter((p): p is SecureVersion => ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"].includes(p)).sort();
  const [min] = listed;
  const max = listed[listed.length - 1];
  return min === undefined || max === undefined ? {} : { minVersion: min, maxVersion: max };
}

function ciphers(server: ServerConfig): { ciphers?: string } {
  const list = [server.tlsCiphersuites, server.tlsCiphers].filter((c) => c !== "").join(":");
  return list === "" ? {} : { ciphers: list };
}

/**
 * The `tls-port` listener's options: `tls-auth-clients yes` (Redis's default) demands a
 * client certificate signed by the CA, `optional` checks one only if given, `no` asks for none.
 */
export function tlsServerOptions(server: ServerConfig, files: TlsFiles): TlsOptions {
  return {
    cert: files.cert,
    key: files.key,
    ...(server.tlsKeyFilePass !== "" ? { passphrase: server.tlsKeyFilePass } : {}),
    ...(files.ca !== undefined ? { ca: files.ca } : {}),
    requestCert: server.tlsAuthClients !== "no",
    rejectUnauthorized: server.tlsAuthClients === "yes",
    honorCipherOrder: server.tlsPreferServerCiphers,
    allowHalfOpen: true,
    ...versions(server.tlsProtocols),
    ...ciphers(server),
  };
}

/**
 * Options of outgoing links under `tls-replication`: the client certificate, and the peer's
 * certificate checked against the CA but not against the host name (Redis sets
 * SSL_VERIFY_PEER and names no host).
 */
export function tlsClientOptions(server: ServerConfig, files: TlsFiles): ConnectionOptions {
  const pass = server.tlsClientCertFile !== "" ? server.tlsClientKeyFilePass : server.tlsKeyFilePass;
  return {
    cert: files.clientCert,
    key: files.clientKey,
    ...(pass !== "" ? { passphrase: pass } : {}),
    ...(files.ca !== undefined ? { ca: files.ca } : {}),
    checkServerIdentity: () => undefined,
    ...versions(server.tlsProtocols),
    ...ciphers(server),
  };
}
