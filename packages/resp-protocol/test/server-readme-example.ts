import { RespServer, helloFields, resp } from "@sentinel-kit/resp-protocol";

// PING, PUBLISH, a password, and HELLO in a sentinel's shape; the server does the rest.
export const server: RespServer = new RespServer({
  handler: (command) => {
    switch (command.name) {
      case "ping":
        return resp.simple("PONG");
      case "publish": {
        const [channel, message] = command.args;
        if (channel === undefined || message === undefined) {
          return resp.error("ERR wrong number of arguments for 'publish' command");
        }
        return resp.integer(server.publish(channel, message));
      }
      default:
        return undefined; // -ERR unknown command '...', with args beginning with: ...
    }
  },
  authenticate: (user, password) => user === "default" && password === "s3cret",
  hello: (client) => helloFields(client, { version: "7.0.15", mode: "sentinel" }),
});

const { port } = await server.listen(); // 127.0.0.1 and a free port unless host/port are given
console.log(`redis-cli -p ${port} -a s3cret PING`);
