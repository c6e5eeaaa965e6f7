// Certificates for the TLS tests, made with Debian's openssl as Redis's
// utils/gen-test-certs.sh makes them: a CA, a server certificate (also used as the client
// certificate of outgoing links, as Redis does without tls-client-cert-file) and a client one.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Paths of the files {@link makeCerts} wrote. */
export interface TestCerts {
  readonly dir: string;
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

function openssl(dir: string, ...args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"], timeout: 20_000 });
}

/** A new CA and two certificates it signed, for 127.0.0.1, valid one day. */
export function makeCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), "sentinel-kit-certs-"));
  openssl(dir, "genrsa", "-out", "ca.key", "2048");
  openssl(dir, "req", "-x509", "-new", "-nodes", "-sha256", "-key", "ca.key", "-days", "1", "-subj", "/O=sentinel-kit test/CN=Test CA", "-out", "ca.crt");
  for (const [name, usage] of [["server", "serverAuth,clientAuth"], ["client", "clientAuth"]] as const) {
    writeFileSync(join(dir, `${name}.ext`), `keyUsage = digitalSignature, keyEncipherment\nextendedKeyUsage = ${usage}\nsubjectAltName = IP:127.0.0.1, DNS:localhost\n`);
    openssl(dir, "genrsa", "-out", `${name}.key`, "2048");
    openssl(dir, "req", "-new", "-sha256", "-key", `${name}.key`, "-subj", `/O=sentinel-kit test/CN=${name}`, "-out", `${name}.csr`);
    openssl(dir, "x509", "-req", "-sha256", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1", "-extfile", `${name}.ext`, "-out", `${name}.crt`);
  }
  return {
    dir,
    caCert: join(dir, "ca.crt"),
    serverCert: join(dir, "server.crt"),
    serverKey: join(dir, "server.key"),
    clientCert: join(dir, "client.crt"),
    clientKey: join(dir, "client.key"),
  };
}
