import { createRedis, MasterUnknownError, NoSentinelReachableError } from "@sentinel-kit/client-discovery";

export async function example(sentinels: { host: string; port: number }[]): Promise<string | null> {
  const { redis, discovery, close } = createRedis({
    name: "mymaster",
    sentinels, // e.g. [{ host: "10.0.0.1", port: 26379 }, ...]
    trust: { minAgreeing: 2 }, // cross-check config epochs: a stale sentinel cannot win
  });
  discovery.onChange(({ from, to, cause }) => console.log("master", from, "->", to, "after", cause));
  try {
    await redis.set("greeting", "hello");
    return await redis.get("greeting");
  } catch (error) {
    if (error instanceof NoSentinelReachableError || error instanceof MasterUnknownError) {
      console.error(error.name, error.attempts); // which sentinels were tried, and what each said
    }
    throw error;
  } finally {
    await close();
  }
}
