/** The pub/sub channel hellos travel on (SPEC §4.1 `SENTINEL_HELLO_CHANNEL`). */
export const HELLO_CHANNEL = "__sentinel__:hello";

/**
 * How often a hello goes to each master, replica and sentinel, in milliseconds
 * (SPEC §4.1 `sentinel_publish_period`).
 */
export const SENTINEL_PUBLISH_PERIOD_MS = 2000;
