import { HealthMonitor, type SentinelEvent } from "@sentinel-kit/health-monitor";

/** Watches a master until its first INFO arrives, and returns what was learned. */
export async function firstLook(host: string, port: number) {
  const monitor = new HealthMonitor({
    master: { name: "mymaster", host, port },
    sentinelId: "5e471e1d8e6c3f0a9b2d4c6e8f0a1b3c5d7e9f01",
    downAfterMs: 5000,
  });
  const events: SentinelEvent[] = [];
  monitor.onEvent((event) => events.push(event)); // +sdown, -sdown, +slave, +reboot, ...
  monitor.start();
  try {
    for (let i = 0; i < 250 && monitor.instances()[0]?.health.infoRefresh === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const master = monitor.instances()[0]?.health;
    return { role: master?.roleReported, runId: master?.runId, sdown: master?.sdown, events };
  } finally {
    monitor.stop();
  }
}
