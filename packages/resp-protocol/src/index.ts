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
