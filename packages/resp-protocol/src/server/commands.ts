/**
 * Runs one command for one client, in the order of Redis 7.0's `processCommand`: QUIT, the
 * unknown-command check, arity, authentication, the RESP2 subscribed-mode restriction, then
 * the server's own commands (HELLO, AUTH, pub/sub) or the user's handler.
 *
 * @module
 */
import type { RespValue, RespVersion } from "../values.js";
import type { PubSubRegistry } from "./pubsub.js";
import {
  INVALID_CLIENT_NAME_ERROR,
  NOAUTH_ERROR,
  WRONGPASS_ERROR,
  arityErrorReply,
  bulk,
  errorReply,
  subscribedContextReply,
  subscriptionReply,
  syntaxErrorReply,
  unknownCommandReply,
} from "./replies.js";
import type { RespClientContext, RespCommand, RespCommandHandler, RespDisconnectReason } from "./types.js";

/** The replies one command produces (SUBSCRIBE a b answers twice). */
export type Replies = readonly RespValue[];

/** What the command layer may change on a connection. */
export interface CommandClient extends RespClientContext {
  /** Switches the wire protocol for the replies that follow. */
  setProtocol(version: RespVersion): void;
  /** Records a successful authentication. */
  markAuthenticated(user: string): void;
  /** Closes the connection once this command's replies are written. */
  requestClose(reason: RespDisconnectReason): void;
}

/** What the command layer needs from the server. */
export interface CommandHost {
  readonly handler: RespCommandHandler;
  readonly authenticate: ((user: string, password: string, client: RespClientContext, command: string) => boolean | Promise<boolean>) | undefined;
  readonly hello: (client: RespClientContext) => ReadonlyArray<readonly [string, RespValue]>;
  readonly isKnownCommand: ((name: string) => boolean) | undefined;
  readonly passwordOnlyAuth: () => boolean;
  readonly canSubscribe: ((client: RespClientContext, command: "subscribe" | "psubscribe", targets: readonly Buffer[]) => RespValue | undefined) | undefined;
  readonly registry: PubSubRegistry<CommandClient>;
  readonly beforeCommand: ((command: RespCommand, client: RespClientContext) => Promise<void> | undefined) | undefined;
  reportError(error: unknown, client: RespClientContext | undefined): void;
}

const OK: RespValue = { kind: "simple", value: "OK" };

// Minimum argc, command name included, of the commands the server answers itself (arity in
// Redis's command table: -2 means "at least 2").
const OWN_ARITY = new Map<string, number>([
  ["hello", 1],
  ["auth", 2],
  ["subscribe", 2],
  ["psubscribe", 2],
  ["unsubscribe", 1],
  ["punsubscribe", 1],
  ["quit", 1],
]);

// What RESP2 subscribed mode lets through (Redis 7.0 `processCommand`).
const ALLOWED_WHILE_SUBSCRIBED = new Set([
  "ping",
  "subscribe",
  "ssubscribe",
  "unsubscribe",
  "sunsubscribe",
  "psubscribe",
  "punsubscribe",
  "quit",
  "reset",
]);

const HELLO_NOAUTH =
  "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time";
const AUTH_WITHOUT_PASSWORD =
  "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?";

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function failure(host: CommandHost, client: RespClientContext, error: unknown): Replies {
  host.reportError(error, client);
  return [errorReply(`ERR ${messageOf(error)}`)];
}

// Runs `then` on a value that may be a promise, without making the synchronous case async:
// most commands answer at once and a pipelined batch should go out in one write.
function chain<T>(value: T | PromiseLike<T>, then: (resolved: T) => Replies | Promise<Replies>, onError: (error: unknown) => Replies): Replies | Promise<Replies> {
  if (isThenable(value)) return Promise.resolve(value).then(then, onError);
  return then(value);
}

// Any thenable counts, not only this realm's Promise, so a handler may use another promise library.
function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/**
 * Runs one decoded command (name first) for a client; the result is synchronous when every
 * step is. Never rejects: handler and hook failures become error replies (only a throwing
 * `isKnownCommand` escapes, and the connection treats it as its own fault).
 */
export function executeCommand(host: CommandHost, client: CommandClient, argv: readonly Buffer[]): Replies | Promise<Replies> {
  const rawName = argv[0];
  if (rawName === undefined) return [];
  const name = rawName.toString("latin1").toLowerCase();
  const args = argv.slice(1);
  if (host.beforeCommand === undefined) return runCommand(host, client, name, rawName, args);
  let held: Promise<void> | undefined;
  try {
    held = host.beforeCommand({ name, args, rawName }, client);
  } catch (error) {
    return failure(host, client, error);
  }
  if (held === undefined) return runCommand(host, client, name, rawName, args);
  return held.then(
    () => runCommand(host, client, name, rawName, args),
    (error: unknown) => failure(host, client, error),
  );
}

function runCommand(host: CommandHost, client: CommandClient, name: string, rawName: Buffer, args: Buffer[]): Replies | Promise<Replies> {
  if (name === "quit") {
    client.requestClose("quit");
    return [OK];
  }
  const minArgc = OWN_ARITY.get(name);
  if (minArgc === undefined && host.isKnownCommand !== undefined && name !== "ping" && !host.isKnownCommand(name)) {
    return [unknownCommandReply(rawName, args)];
  }
  if (minArgc !== undefined && args.length + 1 < minArgc) return [arityErrorReply(name)];
  if (!client.authenticated && name !== "auth" && name !== "hello") return [errorReply(NOAUTH_ERROR)];
  const subscribedResp2 = client.protocol === 2 && client.subscriptionCount > 0;
  if (subscribedResp2 && !ALLOWED_WHILE_SUBSCRIBED.has(name)) return [subscribedContextReply(name)];
  switch (name) {
    case "hello":
      return hello(host, client, args, rawName.toString());
    case "auth":
      return auth(host, client, args, rawName.toString());
    case "subscribe":
    case "psubscribe":
      return subscribe(host, client, name, args);
    case "unsubscribe":
    case "punsubscribe":
      return unsubscribe(host, client, name, args);
    case "ping":
      if (subscribedResp2) {
        // Redis's RESP2 subscribed PING is a two-element array, so a subscriber can tell it from a message.
        if (args.length > 1) return [arityErrorReply("ping")];
        return [{ kind: "array", value: [bulk("pong"), bulk(args[0] ?? "")] }];
      }
      break;
  }
  return callHandler(host, client, name, rawName, args);
}

function callHandler(host: CommandHost, client: CommandClient, name: string, rawName: Buffer, args: Buffer[]): Replies | Promise<Replies> {
  const answer = (reply: RespValue | undefined): Replies => [reply ?? unknownCommandReply(rawName, args)];
  try {
    return chain(host.handler({ name, args, rawName }, client), answer, (error) => failure(host, client, error));
  } catch (error) {
    return failure(host, client, error);
  }
}

function verify(host: CommandHost, client: CommandClient, user: string, password: string, command: string): boolean | Promise<boolean> {
  // Without a hook the server behaves like Redis's default user with `nopass`.
  if (host.authenticate === undefined) return user === "default";
  return host.authenticate(user, password, client, command);
}

function authenticated(host: CommandHost, client: CommandClient, command: string, user: string, password: string, then: () => Replies | Promise<Replies>): Replies | Promise<Replies> {
  try {
    return chain(
      verify(host, client, user, password, command),
      (ok) => {
        if (!ok) return [errorReply(WRONGPASS_ERROR)];
        client.markAuthenticated(user);
        return then();
      },
      (error) => failure(host, client, error),
    );
  } catch (error) {
    return failure(host, client, error);
  }
}

function auth(host: CommandHost, client: CommandClient, args: Buffer[], command: string): Replies | Promise<Replies> {
  if (args.length > 2) return [syntaxErrorReply()];
  const [first, second] = args;
  if (first === undefined) return [arityErrorReply("auth")];
  if (second === undefined && !host.passwordOnlyAuth()) return [errorReply(AUTH_WITHOUT_PASSWORD)];
  const [user, password] = second === undefined ? ["default", first] : [first, second];
  return authenticated(host, client, command, user.toString(), password.toString(), () => [OK]);
}

// Redis's string2ll: an optional minus, no leading zeros or spaces, within 64 bits.
const LONG_LONG = /^(0|-?[1-9][0-9]{0,18})$/;

function hello(host: CommandHost, client: CommandClient, args: Buffer[], command: string): Replies | Promise<Replies> {
  let version: RespVersion | undefined;
  const [protover] = args;
  if (protover !== undefined) {
    const text = protover.toString("latin1");
    const parsed = LONG_LONG.test(text) ? BigInt(text) : undefined;
    if (parsed === undefined || parsed > 9223372036854775807n || parsed < -9223372036854775808n) {
      return [errorReply("ERR Protocol version is not an integer or out of range")];
    }
    if (parsed !== 2n && parsed !== 3n) return [errorReply("NOPROTO unsupported protocol version")];
    version = parsed === 2n ? 2 : 3;
  }
  let credentials: [string, string] | undefined;
  let clientName: string | undefined;
  for (let j = 1; j < args.length; j++) {
    const option = (args[j] as Buffer).toString();
    const more = args.length - 1 - j;
    if (option.toLowerCase() === "auth" && more >= 2) {
      credentials = [(args[j + 1] as Buffer).toString(), (args[j + 2] as Buffer).toString()];
      j += 2;
    } else if (option.toLowerCase() === "setname" && more >= 1) {
      clientName = (args[j + 1] as Buffer).toString();
      j += 1;
    } else {
      return [errorReply(`ERR Syntax error in HELLO option '${option}'`)];
    }
  }
  const finish = (): Replies => {
    if (!client.authenticated) return [errorReply(HELLO_NOAUTH)];
    if (clientName !== undefined && !client.setName(clientName)) return [errorReply(INVALID_CLIENT_NAME_ERROR)];
    if (version !== undefined) client.setProtocol(version);
    let fields: ReadonlyArray<readonly [string, RespValue]>;
    try {
      fields = host.hello(client);
    } catch (error) {
      return failure(host, client, error);
    }
    return [{ kind: "map", value: fields.map(([field, value]) => [bulk(field), value] as const) }];
  };
  if (credentials === undefined) return finish();
  return authenticated(host, client, command, credentials[0], credentials[1], finish);
}

function subscribe(host: CommandHost, client: CommandClient, name: "subscribe" | "psubscribe", args: Buffer[]): Replies {
  let refusal: RespValue | undefined;
  try {
    refusal = host.canSubscribe?.(client, name, args);
  } catch (error) {
    return failure(host, client, error);
  }
  if (refusal !== undefined) return [refusal];
  return args.map((target) => {
    if (name === "subscribe") host.registry.subscribe(client, target);
    else host.registry.psubscribe(client, target);
    return subscriptionReply(name, target, host.registry.count(client));
  });
}

function unsubscribe(host: CommandHost, client: CommandClient, name: "unsubscribe" | "punsubscribe", args: Buffer[]): Replies {
  const registry = host.registry;
  const targets = args.length > 0 ? args : name === "unsubscribe" ? registry.channelsOf(client) : registry.patternsOf(client);
  if (targets.length === 0) return [subscriptionReply(name, null, registry.count(client))];
  return targets.map((target) => {
    if (name === "unsubscribe") registry.unsubscribe(client, target);
    else registry.punsubscribe(client, target);
    return subscriptionReply(name, target, registry.count(client));
  });
}
