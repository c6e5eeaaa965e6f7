// The tls-* directives as node:tls options (Redis's tls.c: tlsConfigure,
// SSL_CTX_set_verify by tls-auth-clients, the client certificate of outgoing links).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_SERVER_CONFIG } from "@sentinel-kit/config-store";
import { describe, expect, it } from "vitest";
import { loadTlsFiles, TlsConfigError, tlsClientOptions, tlsServerOptions, type TlsFiles } from "../src/runtime/tls.js";

const files: TlsFiles = { cert: Buffer.from("C"), key: Buffer.from("K"), clientCert: Buffer.from("CC"), clientKey: Buffer.from("CK"), ca: [Buffer.from("CA")] };

describe("tlsServerOptions", () => {
  it("tls-auth-clients: yes requires a certificate, optional checks one if given, no asks for none", () => {
    const of = (tlsAuthClients: "yes" | "no" | "optional") => tlsServerOptions({ ...DEFAULT_SERVER_CONFIG, tlsAuthClients }, files);
    expect(of("yes")).toMatchObject({ requestCert: true, rejectUnauthorized: true, cert: files.cert, key: files.key, ca: files.ca });
    expect(of("optional")).toMatchObject({ requestCert: true, rejectUnauthorized: false });
    expect(of("no")).toMatchObject({ requestCert: false, rejectUnauthorized: false });
  });

  it("tls-protocols become the lowest and highest version; ciphers and suites join; the key passphrase is passed", () => {
    const options = tlsServerOptions({ ...DEFAULT_SERVER_CONFIG, tlsProtocols: "TLSv1.3 TLSv1.2", tlsCiphers: "AES128-SHA", tlsCiphersuites: "TLS_AES_128_GCM_SHA256", tlsKeyFilePass: "pp", tlsPreferServerCiphers: true }, files);
    expect(options).toMatchObject({ minVersion: "TLSv1.2", maxVersion: "TLSv1.3", ciphers: "TLS_AES_128_GCM_SHA256:AES128-SHA", passphrase: "pp", honorCipherOrder: true });
    expect(tlsServerOptions(DEFAULT_SERVER_CONFIG, files)).not.toHaveProperty("minVersion");
  });
});

describe("tlsClientOptions", () => {
  it("presents the client certificate and checks the peer against the CA but not its host name", () => {
    const options = tlsClientOptions({ ...DEFAULT_SERVER_CONFIG, tlsClientCertFile: "c.crt", tlsClientKeyFilePass: "cp", tlsKeyFilePass: "sp" }, files);
    expect(options).toMatchObject({ cert: files.clientCert, key: files.clientKey, ca: files.ca, passphrase: "cp" });
    expect(options.checkServerIdentity?.("other.example", {} as never)).toBeUndefined();
    // Without tls-client-cert-file the server key's passphrase applies, as Redis uses tls-cert-file.
    expect(tlsClientOptions({ ...DEFAULT_SERVER_CONFIG, tlsKeyFilePass: "sp" }, files)).toMatchObject({ passphrase: "sp" });
  });
});

describe("loadTlsFiles", () => {
  it("refuses a missing file with the directive named", async () => {
    const error = await loadTlsFiles({ ...DEFAULT_SERVER_CONFIG, tlsCertFile: "/nonexistent/server.crt", tlsKeyFile: "/nonexistent/server.key" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TlsConfigError);
    expect(error).toMatchObject({ name: "TlsConfigError", directive: "tls-cert-file" });
    await expect(loadTlsFiles(DEFAULT_SERVER_CONFIG)).rejects.toThrow("Failed to configure TLS: tls-cert-file: no file given");
  });

  it("tls-ca-cert-dir adds every PEM certificate of the directory to tls-ca-cert-file's", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sentinel-kit-ca-"));
    const pem = (n: number) => `-----BEGIN CERTIFICATE-----\n${n}\n-----END CERTIFICATE-----\n`;
    writeFileSync(join(dir, "a.pem"), "C");
    writeFileSync(join(dir, "k.pem"), "K");
    writeFileSync(join(dir, "ca.pem"), pem(0));
    writeFileSync(join(dir, "1a2b3c4d.0"), pem(1));
    writeFileSync(join(dir, "notes.txt"), "not a certificate");
    const loaded = await loadTlsFiles({ ...DEFAULT_SERVER_CONFIG, tlsCertFile: join(dir, "a.pem"), tlsKeyFile: join(dir, "k.pem"), tlsCaCertFile: join(dir, "ca.pem"), tlsCaCertDir: dir });
    expect(loaded.ca?.map(String)).toEqual([pem(0), pem(1), pem(0)]);
    expect(loaded.clientCert.toString()).toBe("C");
  });
});
