export {
  formatHello,
  HELLO_FIELDS,
  helloPayload,
  MalformedHelloError,
  parseHello,
  type Hello,
  type HelloDraft,
  type HelloErrorReason,
  type HelloField,
  type HelloParseResult,
} from "./hello.js";
