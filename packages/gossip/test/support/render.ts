import { formatAddressName, type GossipEffect, type PublishTarget } from "../../src/index.js";

function target(t: PublishTarget): string {
  switch (t.kind) {
    case "master":
      return `master ${t.master}`;
    case "replica":
      return `replica ${t.master} ${formatAddressName(t.address)}`;
    case "sentinel":
      return `sentinel ${t.master} ${t.runid}`;
  }
}

/** One line per effect, for comparing whole effect lists in tests and scenario transcripts. */
export function renderEffect(effect: GossipEffect): string {
  switch (effect.type) {
    case "persist":
      return `persist ${effect.reason}`;
    case "event":
      return `event ${effect.event.name} ${effect.event.level} ${effect.event.payload}`;
    case "open-sentinel-link":
      return `open-sentinel-link ${effect.runid} ${formatAddressName(effect.address)}`;
    case "close-sentinel-link":
      return `close-sentinel-link ${effect.runid}`;
    case "reset-master":
      return `reset-master ${effect.master} ${formatAddressName(effect.from)} -> ${formatAddressName(effect.to)} replicas ${effect.replicas.map(formatAddressName).join(" ")}`.trimEnd();
    case "client-reconfig-script":
      return `client-reconfig-script ${effect.master} ${effect.role} ${effect.state} ${formatAddressName(effect.from)} ${formatAddressName(effect.to)}`;
    case "publish-hello": {
      const h = effect.hello;
      const fields = [h.sentinelIp ?? "<local>", h.sentinelPort, h.runid, h.currentEpoch, h.masterName, h.masterIp, h.masterPort, h.masterConfigEpoch];
      return `publish-hello ${target(effect.target)} ${effect.channel} ${fields.join(",")}`;
    }
  }
}

/** Renders a list of effects. */
export function render(effects: readonly GossipEffect[]): string[] {
  return effects.map(renderEffect);
}
