import { Gossip, helloPayload } from "../src/index.js";

// The core never reads the clock: pass the time in (here made-up milliseconds).
const gossip = new Gossip(
  {
    myRunid: "f".repeat(40),
    currentEpoch: 0,
    announcePort: 26379,
    masters: [{ name: "mymaster", address: { host: "127.0.0.1", port: 6379 }, configEpoch: 0 }],
  },
  0,
);

// A hello your pub/sub link received on __sentinel__:hello of the master.
const outcome = gossip.receiveHello(`127.0.0.1,26380,${"a".repeat(40)},1,mymaster,127.0.0.1,6379,0`, 100);
for (const effect of outcome.effects) {
  // Do them in order: a "persist" (write sentinel.conf) comes before what depends on it.
  if (effect.type === "event") console.log(effect.event.name, effect.event.payload);
  if (effect.type === "open-sentinel-link") console.log("link to", effect.runid.slice(0, 8), effect.address);
}

// Our own hellos: due one publish period (2000 ms) after start; wake up then.
console.log("next hello due at", gossip.nextDueAt());
for (const effect of gossip.tick(2001)) {
  if (effect.type !== "publish-hello") continue;
  // PUBLISH __sentinel__:hello <payload> on the target's command link, then report the reply.
  console.log(effect.target.kind, helloPayload(effect.hello, "127.0.0.1"));
  gossip.published(effect.target, true, 2003);
}
console.log("peers of mymaster:", gossip.sentinelsOf("mymaster").length, "links:", gossip.linkCount);
