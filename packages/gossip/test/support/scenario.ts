import { type Address, formatAddressName, Gossip, type MasterConfig, type PublishTarget } from "../../src/index.js";
import { render } from "./render.js";

/** `$A` .. `$E` stand for runids of 40 times that hex digit, `$ME` for ours (40 times `f`). */
function expand(text: string): string {
  return text.replace(/\$(ME|[A-E])\b/g, (_, id: string) => (id === "ME" ? "f" : id.toLowerCase()).repeat(40));
}

function abbreviate(text: string): string {
  return text.replace(/\b([a-f])\1{39}\b/g, (_, d: string) => (d === "f" ? "$ME" : `$${d.toUpperCase()}`));
}

function address(text: string): Address {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(text);
  if (match === null) throw new Error(`bad address ${text}`);
  return { host: match[1] as string, port: Number(match[2]) };
}

/**
 * Replays a scenario script (etcd raft's testdata style): each command line is followed by
 * the lines it outputs, prefixed with `> `. Returns the script with the actual outputs in
 * place of the expected ones, so a test compares the two texts whole.
 *
 * Commands: `config epoch=N port=P [announce-ip=IP] [period=MS] [evict-on-switch]`,
 * `monitor NAME HOST:PORT CONFIG_EPOCH [REPLICA...]`, `replicas NAME ADDR...`, `hello NOW PAYLOAD`,
 * `tick NOW`, `reply NOW ok|error` (answers every hello of the last tick), `promote NAME EPOCH ADDR`,
 * `switch NOW NAME ADDR REPLICA...`,
 * `reset NAME`, `remove NAME`, `peers NAME`, `master NAME`, `epoch`, `next`.
 */
export function replay(script: string): string {
  let gossip: Gossip | undefined;
  const masters: MasterConfig[] = [];
  let inFlight: PublishTarget[] = [];
  const out: string[] = [];
  const need = (): Gossip => {
    if (gossip === undefined) throw new Error("config must come first");
    return gossip;
  };
  for (const raw of script.split("\n")) {
    if (raw.startsWith(">")) continue;
    out.push(raw);
    const line = expand(raw.trim());
    if (line === "" || line.startsWith("#")) continue;
    const [command, ...args] = line.split(/\s+/);
    const arg = (i: number): string => {
      const value = args[i];
      if (value === undefined) throw new Error(`missing argument ${i} in: ${raw}`);
      return value;
    };
    let output: string[] = [];
    switch (command) {
      case "config": {
        const options = new Map(args.map((a) => a.split("=") as [string, string | undefined]));
        const announceIp = options.get("announce-ip");
        gossip = new Gossip(
          {
            myRunid: "f".repeat(40),
            currentEpoch: Number(options.get("epoch") ?? 0),
            announcePort: Number(options.get("port") ?? 26379),
            ...(announceIp === undefined ? {} : { announceIp }),
            masters,
            publishPeriodMs: Number(options.get("period") ?? 2000),
            evictOnAddressSwitch: options.has("evict-on-switch"),
          },
          0,
        );
        break;
      }
      case "monitor":
        need().monitor({ name: arg(0), address: address(arg(1)), configEpoch: Number(arg(2)), replicas: args.slice(3).map(address) }, 0);
        break;
      case "replicas":
        need().setReplicas(arg(0), args.slice(1).map(address), 0);
        break;
      case "hello": {
        const outcome = need().receiveHello(args.slice(1).join(" "), Number(arg(0)));
        output = outcome.status === "processed" ? render(outcome.effects) : [`ignored ${outcome.status}`];
        break;
      }
      case "tick": {
        const effects = need().tick(Number(arg(0)));
        inFlight = effects.flatMap((e) => (e.type === "publish-hello" ? [e.target] : []));
        output = render(effects);
        break;
      }
      case "reply":
        for (const target of inFlight) need().published(target, arg(1) === "ok", Number(arg(0)));
        inFlight = [];
        break;
      case "promote":
        output = render(need().promote(arg(0), Number(arg(1)), address(arg(2))));
        break;
      case "switch":
        need().switchMaster(arg(1), address(arg(2)), args.slice(3).map(address), Number(arg(0)));
        break;
      case "reset":
        output = render(need().reset(arg(0)));
        break;
      case "remove":
        output = render(need().remove(arg(0)));
        break;
      case "peers":
        output = need()
          .sentinelsOf(arg(0))
          .map((p) => `${p.runid} ${formatAddressName(p.address)} last-hello ${p.lastHelloTime}`);
        output.push(`links ${need().linkCount}`);
        break;
      case "master": {
        const m = need().master(arg(0));
        output = [
          m === undefined
            ? "none"
            : `${m.name} ${formatAddressName(m.address)} config-epoch ${m.configEpoch} replicas ${m.replicas.map(formatAddressName).join(" ")}`.trimEnd(),
        ];
        break;
      }
      case "epoch":
        output = [`current-epoch ${need().currentEpoch}`];
        break;
      case "next":
        output = [`next-due ${need().nextDueAt() ?? "none"}`];
        break;
      default:
        throw new Error(`unknown command: ${raw}`);
    }
    out.push(...output.map((o) => `> ${abbreviate(o)}`));
  }
  return out.join("\n");
}
