import { RespDecoder, encodeCommand, encodeReply, resp, type RespValue } from "@sentinel-kit/resp-protocol";

// Client side: encode a command; decode replies as bytes arrive, however they are split.
export const request: Buffer = encodeCommand(["SET", "greeting", "hello"]);
export const replies: RespValue[] = [];
const decoder = new RespDecoder({ onReply: (reply) => replies.push(reply) });
decoder.feed(Buffer.from("+OK\r\n$5\r\nhel"));
decoder.feed(Buffer.from("lo\r\n%1\r\n+proto\r\n:3\r\n"));
// replies: [+OK, $5 hello, %{proto: 3}]

// Server side: one value, written for a RESP3 or a RESP2 connection (RESP2 gets a flat array).
const role = resp.map([[resp.bulk("role"), resp.bulk("master")]]);
export const forResp3: Buffer = encodeReply(role, 3); // %1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n
export const forResp2: Buffer = encodeReply(role, 2); // *2\r\n$4\r\nrole\r\n$6\r\nmaster\r\n
