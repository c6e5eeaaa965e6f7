/**
 * The hello message (SPEC §4.5): 8 comma-separated fields, formatted by `sentinelSendHello`
 * as `"%s,%d,%s,%llu,%s,%s,%d,%llu"`.
 */
export interface Hello {
  /** announce-ip, or else the local address of the link the hello is sent on. */
  readonly sentinelIp: string;
  /** announce-port, or else the sentinel's TLS or plain port. */
  readonly sentinelPort: number;
  /** The sender's 40-hex-digit id (`myid`). */
  readonly runid: string;
  /** The sender's current epoch. */
  readonly currentEpoch: number;
  /** Name of the master the hello is about. */
  readonly masterName: string;
  /** That master's current address, as the sender sees it (IP or hostname). */
  readonly masterIp: string;
  /** That master's port. */
  readonly masterPort: number;
  /** The epoch of the sender's configuration of that master. */
  readonly masterConfigEpoch: number;
}

/** The fields of a {@link Hello}, in wire order. */
export const HELLO_FIELDS = [
  "sentinelIp",
  "sentinelPort",
  "runid",
  "currentEpoch",
  "masterName",
  "masterIp",
  "masterPort",
  "masterConfigEpoch",
] as const satisfies readonly (keyof Hello)[];

/** One field of a {@link Hello}. */
export type HelloField = (typeof HELLO_FIELDS)[number];

/** Why a hello was rejected. */
export type HelloErrorReason =
  /** The payload does not split into exactly 8 comma-separated fields. */
  | "field-count"
  /** A text field is empty or holds whitespace or control characters. */
  | "bad-text"
  /** A port is not a decimal integer from 1 to 65535. */
  | "bad-port"
  /** The runid is not 40 hexadecimal digits. */
  | "bad-runid"
  /** An epoch is not a decimal integer from 0 to 2^53 - 1. */
  | "bad-epoch";

/** A hello that cannot be parsed, or hello fields that cannot be formatted. */
export class MalformedHelloError extends Error {
  /** Stable error name. */
  override readonly name = "MalformedHelloError";
  /** What is wrong. */
  readonly reason: HelloErrorReason;
  /** The offending field; absent for `field-count`. */
  readonly field: HelloField | undefined;
  /** The payload (when parsing) or the offending value (when formatting). */
  readonly input: string;

  /** Builds the error; `field` is absent for `field-count`. */
  constructor(reason: HelloErrorReason, field: HelloField | undefined, input: string) {
    super(
      field === undefined
        ? `malformed hello: ${reason} in ${JSON.stringify(input)}`
        : `malformed hello: ${reason} in field ${field} of ${JSON.stringify(input)}`,
    );
    this.reason = reason;
    this.field = field;
    this.input = input;
  }
}

/** The outcome of {@link parseHello}: a hello, or the reason it was rejected. */
export type HelloParseResult =
  | {
      /** Parsed. */
      readonly ok: true;
      /** The hello. */
      readonly hello: Hello;
    }
  | {
      /** Rejected. */
      readonly ok: false;
      /** Why. */
      readonly error: MalformedHelloError;
    };

const RUNID = /^[0-9a-fA-F]{40}$/;
const DECIMAL = /^[0-9]+$/;
// Whitespace or control characters would break event payloads, which are space-separated.
const BAD_TEXT = /[\s\u0000-\u001f\u007f]/;

function validPort(token: string): number | undefined {
  if (!DECIMAL.test(token) || token.length > 5) return undefined;
  const port = Number(token);
  return port >= 1 && port <= 65535 ? port : undefined;
}

function validEpoch(token: string): number | undefined {
  if (!DECIMAL.test(token) || token.length > 16) return undefined;
  const epoch = Number(token);
  return Number.isSafeInteger(epoch) ? epoch : undefined;
}

function validText(token: string): boolean {
  return token.length > 0 && !BAD_TEXT.test(token) && !token.includes(",");
}

/**
 * Parses a hello payload. Never throws: a malformed payload comes back as
 * `{ ok: false, error }`, so the receiving path can count and drop it. Stricter than Redis,
 * which reads numbers with `atoi`/`strtoull` and so accepts garbage as 0.
 */
export function parseHello(payload: string): HelloParseResult {
  const tokens = payload.split(",");
  if (tokens.length !== 8) {
    return { ok: false, error: new MalformedHelloError("field-count", undefined, payload) };
  }
  const [sentinelIp, portToken, runid, epochToken, masterName, masterIp, masterPortToken, configEpochToken] =
    tokens as [string, string, string, string, string, string, string, string];
  const fail = (reason: HelloErrorReason, field: HelloField): HelloParseResult => ({
    ok: false,
    error: new MalformedHelloError(reason, field, payload),
  });
  if (!validText(sentinelIp)) return fail("bad-text", "sentinelIp");
  const sentinelPort = validPort(portToken);
  if (sentinelPort === undefined) return fail("bad-port", "sentinelPort");
  if (!RUNID.test(runid)) return fail("bad-runid", "runid");
  const currentEpoch = validEpoch(epochToken);
  if (currentEpoch === undefined) return fail("bad-epoch", "currentEpoch");
  if (!validText(masterName)) return fail("bad-text", "masterName");
  if (!validText(masterIp)) return fail("bad-text", "masterIp");
  const masterPort = validPort(masterPortToken);
  if (masterPort === undefined) return fail("bad-port", "masterPort");
  const masterConfigEpoch = validEpoch(configEpochToken);
  if (masterConfigEpoch === undefined) return fail("bad-epoch", "masterConfigEpoch");
  return {
    ok: true,
    hello: { sentinelIp, sentinelPort, runid, currentEpoch, masterName, masterIp, masterPort, masterConfigEpoch },
  };
}

function checkField(hello: Hello, field: HelloField): void {
  const value = hello[field];
  let reason: HelloErrorReason | undefined;
  switch (field) {
    case "sentinelIp":
    case "masterName":
    case "masterIp":
      if (!validText(value as string)) reason = "bad-text";
      break;
    case "runid":
      if (!RUNID.test(value as string)) reason = "bad-runid";
      break;
    case "sentinelPort":
    case "masterPort":
      if (validPort(String(value)) !== value) reason = "bad-port";
      break;
    case "currentEpoch":
    case "masterConfigEpoch":
      if (validEpoch(String(value)) !== value) reason = "bad-epoch";
      break;
  }
  if (reason !== undefined) throw new MalformedHelloError(reason, field, String(value));
}

/**
 * Formats a hello exactly as `sentinelSendHello` does. Throws {@link MalformedHelloError}
 * for fields that would not survive the trip (a comma in a master name, a port of 0), since
 * Redis drops such a hello silently on the other side.
 */
export function formatHello(hello: Hello): string {
  for (const field of HELLO_FIELDS) checkField(hello, field);
  return HELLO_FIELDS.map((field) => String(hello[field])).join(",");
}

/**
 * A hello to send, lacking its first field when no announce-ip is set: Redis then uses the
 * local address of the link's socket (`anetFdToString(..., FD_TO_SOCK_NAME)`), which only
 * the caller knows.
 */
export type HelloDraft = Omit<Hello, "sentinelIp"> & {
  /** announce-ip, or null to use the link's local address. */
  readonly sentinelIp: string | null;
};

/** The payload for a draft, taking `localIp` as the sentinel ip when no announce-ip is set. */
export function helloPayload(draft: HelloDraft, localIp: string): string {
  return formatHello({ ...draft, sentinelIp: draft.sentinelIp ?? localIp });
}
