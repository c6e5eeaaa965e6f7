import {
  createElectionState,
  isMasterDownCommand,
  receiveIsMasterDownReply,
  setSubjectiveDown,
  tick,
  toSentinelId,
  type ElectionEffect,
  type ElectionStep,
  type PersistentElectionState,
} from "../../src/index.js";

const me = toSentinelId("a".repeat(40));
const b = toSentinelId("b".repeat(40));
const c = toSentinelId("c".repeat(40));

let state = createElectionState({
  myId: me,
  masters: [{ name: "mymaster", ip: "127.0.0.1", port: 6379, quorum: 2, failoverTimeoutMs: 60_000, peers: [b, c] }],
});
// Time and randomness are inputs: the core never reads a clock or calls Math.random itself.
const random = (bound: number): number => Math.floor(Math.random() * bound);
const disk: { snapshot: PersistentElectionState | null } = { snapshot: null };

function perform(step: ElectionStep): void {
  state = step.state;
  for (const e of step.effects as ElectionEffect[]) {
    switch (e.type) {
      case "persist":
        // Write e.snapshot to the config file and fsync it BEFORE doing anything below.
        disk.snapshot = e.snapshot;
        break;
      case "ask":
        console.log(`ask ${e.to.slice(0, 8)}: ${isMasterDownCommand(e.request).join(" ")}`);
        break;
      case "event":
        console.log(`${e.event.name} ${e.message}`);
        break;
      case "reply": // answer the peer's is-master-down-by-addr
      case "failover-delayed": // log "Next failover delay: ..."
      case "wake": // make sure tick() runs again by e.at
        break;
    }
  }
}

const now = Date.now();
// The health monitor sees the master down, and so does peer b.
state = setSubjectiveDown(state, "mymaster", true);
state = receiveIsMasterDownReply(state, "mymaster", b, { down: true, leader: null, leaderEpoch: 0 }, now);
perform(tick(state, now, random));
// b votes for us in epoch 1: 2 votes of 3 voters, and the quorum is 2.
state = receiveIsMasterDownReply(state, "mymaster", b, { down: true, leader: me, leaderEpoch: 1 }, now + 40);
perform(tick(state, now + 100, random));
console.log(`saved epoch ${disk.snapshot?.currentEpoch}, phase ${state.masters.get("mymaster")?.failover?.phase}`);
