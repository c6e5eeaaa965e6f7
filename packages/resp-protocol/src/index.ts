// Codec: values, constructors, limits, decoders, encoder.
export type {
  RespArray,
  RespAttributed,
  RespBigNumber,
  RespBoolean,
  RespBulkError,
  RespBulkString,
  RespDouble,
  RespInteger,
  RespMap,
  RespNull,
  RespNullArray,
  RespNullBulk,
  RespPush,
  RespSet,
  RespSimpleError,
  RespSimpleString,
  RespValue,
  RespVerbatimString,
  RespVersion,
} from "./values.js";
export { resp } from "./constructors.js";
export { RespProtocolError, type RespProtocolErrorReason } from "./errors.js";
export { DEFAULT_RESP_LIMITS, resolveLimits, type RespLimits } from "./limits.js";
export { RespDecoder, type RespDecoderOptions } from "./decoder.js";
export { RespRequestDecoder, type RespRequestDecoderOptions } from "./request-decoder.js";
export { splitArgs } from "./split-args.js";
export { encodeCommand, encodeReply } from "./encoder.js";
export { formatDouble } from "./format-double.js";

// Server: RespServer and its building blocks.
export { RespServer, type RespServerCloseOptions, type RespSubscriptions } from "./server/server.js";
export type {
  RespClientContext,
  RespCommand,
  RespCommandHandler,
  RespDisconnectReason,
  RespReplyMode,
  RespServerOptions,
} from "./server/types.js";
export { helloFields, type HelloInfo } from "./server/hello.js";
export { globMatch } from "./server/glob.js";
export { PubSubRegistry, type PubSubDelivery } from "./server/pubsub.js";
export { DEFAULT_PUBSUB_OUTPUT_LIMIT, OutputLimitTracker, type OutputBufferLimit } from "./server/output-limit.js";
export {
  INVALID_CLIENT_NAME_ERROR,
  MAX_CLIENTS_ERROR,
  NOAUTH_ERROR,
  WRONGPASS_ERROR,
  arityErrorReply,
  unknownCommandReply,
} from "./server/replies.js";
