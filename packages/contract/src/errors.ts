/**
 * The liftwatch error catalog. Every code is listed in docs/errors.md (a test keeps the two in sync).
 * `retryable: false` means the input is wrong and sending it again will not help (dead-letter it,
 * answer 4xx); `retryable: true` means a transient fault that a retry with backoff may cure.
 */
export const ERROR_CATALOG = {
  LW_ERR_PAYLOAD_NOT_JSON: { retryable: false, http: 400, summary: 'The payload is not valid UTF-8 JSON.' },
  LW_ERR_PAYLOAD_INVALID: { retryable: false, http: 400, summary: 'A record does not match the schema of its stream.' },
  LW_ERR_PAYLOAD_TOO_LARGE: { retryable: false, http: 413, summary: 'The message is larger than the configured limit.' },
  LW_ERR_BATCH_TOO_LARGE: { retryable: false, http: 413, summary: 'The message holds more records than the configured limit.' },
  LW_ERR_TOPIC_INVALID: { retryable: false, http: 400, summary: 'The topic is not lift/v1/{liftId}/{stream} with a known stream.' },
  LW_ERR_LIFT_MISMATCH: { retryable: false, http: 400, summary: 'The liftId inside a record differs from the lift in the topic.' },
  LW_ERR_UNKNOWN_FAULT_CODE: { retryable: false, http: 400, summary: 'A fault record names a code that is not in the code table, or a sourceCode its sourceScheme (GB/T 24476-2017, 15-fault list) does not map; the reason names the scheme and the code.' },
  LW_ERR_STREAM_DIRECTION: { retryable: false, http: 400, summary: 'A terminal published to a stream that only the platform sends (config, cmd).' },
  LW_ERR_CONFIG_INVALID: { retryable: false, http: 400, summary: 'A setting has a wrong value; start-up stops.' },
  LW_ERR_PORT_IN_USE: { retryable: false, http: 500, summary: 'A port liftwatch should listen on is already taken; start-up stops.' },
  LW_ERR_DATA_DIR: { retryable: false, http: 500, summary: 'The data directory cannot be created or written; start-up stops.' },
  LW_ERR_NOT_FOUND: { retryable: false, http: 404, summary: 'The lift, alert or route asked for does not exist.' },
  LW_ERR_REQUEST_INVALID: { retryable: false, http: 400, summary: 'An HTTP request has a wrong parameter or body.' },
  LW_ERR_STORAGE: { retryable: true, http: 503, summary: 'The store could not be written; the sender should retry.' },
  LW_ERR_CHANNEL_REJECTED: { retryable: false, http: 502, summary: 'An alert channel (webhook, SMTP, SMS gateway, DingTalk, WeCom) refused a notification for good; it is marked failed with the reason.' },
  LW_ERR_CHANNEL_UNAVAILABLE: { retryable: true, http: 503, summary: 'An alert channel could not be reached or answered with a transient error; the delivery is retried with backoff.' },
  LW_ERR_SPOOL: { retryable: true, http: 503, summary: 'The edge agent\'s store-and-forward spool cannot be opened or written.' },
  LW_ERR_CSV_CELL: { retryable: false, http: 400, summary: 'A CSV cell that should hold a number does not; the cell is reported, counted and skipped.' },
  LW_ERR_CSV_MAPPING: { retryable: false, http: 400, summary: 'A CSV column mapping names a column the file does not have, or a field the contract does not have.' },
  LW_ERR_AUTH_FAILED: { retryable: false, http: 401, summary: 'An MQTT client or API caller gave an unknown id, a wrong token, or a disabled terminal; the broker refuses the connection.' },
  LW_ERR_TOPIC_FORBIDDEN: { retryable: false, http: 403, summary: 'A client published or subscribed to a topic its account may not use (another lift, an unknown stream, a wildcard).' },
  LW_ERR_LIMIT_EXCEEDED: { retryable: true, http: 429, summary: 'A client broke a broker limit (packet size, connections or publishes per second, in-flight messages); it is refused or disconnected.' },
  LW_ERR_CONFLICT: { retryable: false, http: 409, summary: 'What the request would create already exists (a terminal id).' },
  LW_ERR_MODEL_FEATURE_MISMATCH: { retryable: false, http: 409, summary: 'A model manifest names other features or another feature version than the running feature code; the model is not loaded.' },
  LW_ERR_MODEL_INVALID: { retryable: false, http: 422, summary: 'A model artifact is missing, fails its sha256 check or does not reproduce its golden outputs; the model is not loaded.' },
  LW_ERR_UNAUTHENTICATED: { retryable: false, http: 401, summary: 'The request carries no valid session or token; log in with POST /api/login.' },
  LW_ERR_FORBIDDEN: { retryable: false, http: 403, summary: 'The user is logged in but their role may not do this (e.g. a regulator acknowledging an alert).' },
  LW_ERR_RATE_LIMITED: { retryable: true, http: 429, summary: 'Too many attempts (e.g. failed logins) from this address or for this user; wait the seconds in Retry-After.' },
  LW_ERR_INTERNAL: { retryable: true, http: 500, summary: 'An unexpected fault inside liftwatch; it is logged with its cause.' },
  LW_ERR_SCENARIO_INVALID: { retryable: false, http: 400, summary: 'A simulator scenario file or dataset option is missing or has a wrong value.' },
  LW_ERR_PAYLOAD_TOO_DEEP: { retryable: false, http: 400, summary: 'An MQTT payload or HTTP body nests JSON arrays and objects deeper than the limit (setting maxJsonDepth, 32 by default); it is refused before it is parsed.' },
  LW_ERR_PAYLOAD_UNPROCESSABLE: { retryable: false, http: 422, summary: 'Handling a message failed inside liftwatch for a reason other than the store; the message is kept as a dead letter with the fault and acknowledged, since every delivery would fail the same way.' },
  LW_ERR_CLOCK_AHEAD: { retryable: false, http: 422, summary: 'A record\'s device time is further ahead of the server\'s clock than allowed (setting clockMaxAheadS); it is kept as a dead letter, not stored, and the terminal\'s clock should be set.' },
  LW_ERR_MQTT_PROTOCOL: { retryable: false, http: 400, summary: 'An MQTT client broke MQTT 3.1.1 in its CONNECT (malformed fields, an unsupported protocol level, an empty client id without a clean session), or a trusted proxy sent no valid PROXY protocol header; the broker closes the connection, after a CONNACK refusal where the standard names one.' },
  LW_ERR_PASSWORD_WEAK: { retryable: false, http: 400, summary: 'A new password is too easy to guess (common, a sequence or repetition, or the user\'s own name); the message says why and how to choose one.' },
  LW_ERR_PASSWORD_EXPIRED: { retryable: false, http: 401, summary: 'The password was right but has expired (the first admin\'s printed one-time password); restart liftwatch for a new one or ask an admin.' },
  LW_ERR_PASSWORD_CHANGE_REQUIRED: { retryable: false, http: 403, summary: 'The user logged in with a one-time password and must set their own (POST /api/me/password) before anything else.' },
  LW_ERR_MODBUS_PROFILE: { retryable: false, http: 400, summary: 'A Modbus profile of the edge agent has a wrong shape, names a field the contract does not have, a unit that is not the field\'s, or leaves a required field of a stream without a point; the agent does not start.' },
  LW_ERR_DEVICE_UNAVAILABLE: { retryable: true, http: 503, summary: 'The Modbus device of an edge agent refused the connection, did not answer in time or answered with an exception; the agent polls again with backoff and sends nothing for the time it could not read.' },
  LW_ERR_MESSAGE_INVALID: { retryable: false, http: 422, summary: 'A message between liftwatch nodes (a live change or shared rule state on Redis, an alert job from the queue) does not match its schema; it is logged, counted (metric liftwatch_messages_rejected_total) and dropped. Nodes that share a Redis must run the same version.' },
  LW_ERR_IMPORT_INVALID: { retryable: false, http: 422, summary: 'A CSV import (the lift registry) has lines that cannot be taken, or is not CSV with the expected header; nothing is written, and the answer lists each line and column at fault with what to do.' },
  LW_ERR_FEATURE_STATE_INVALID: { retryable: false, http: 422, summary: "A saved feature state (a lift's model-feature checkpoint) is of another feature version or has a wrong shape; that lift's features start afresh from its next records." },
  LW_ERR_FINDING_REQUIRED: { retryable: false, http: 422, summary: 'An alert other than a P1 is resolved with the crew\'s finding (outcome, and the component of a confirmed fault); send it with the resolve, or mark the alert a false alarm.' },
  LW_ERR_EXCHANGE_REJECTED: { retryable: false, http: 502, summary: 'The government or provincial platform refused an outbox message for good (a 4xx answer other than 408 and 429); the message stays in the outbox as rejected with the answer (GET /api/exchange/outbox?state=rejected) until an admin retries it.' },
  LW_ERR_EXCHANGE_UNAVAILABLE: { retryable: true, http: 503, summary: 'The government or provincial platform could not be reached, timed out or answered 5xx, 408 or 429; the outbox message is sent again with backoff, across restarts, with the same idempotency key.' },
  LW_ERR_RESCUE_LINE_TOKEN: { retryable: false, http: 401, summary: 'A call from the rescue line (96333) came without the token set in rescueLineToken, with a wrong one, or while no token is set; the call is refused.' },
  LW_ERR_BROKER_UNAVAILABLE: { retryable: true, http: 503, summary: 'No MQTT worker of the node is listening (--mqtt-workers): a message to terminals (config, cmd) cannot be published now; a worker is starting in place of each that died, try again.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOG;
export const ERROR_CODES = Object.freeze(Object.keys(ERROR_CATALOG) as ErrorCode[]);

export class LiftwatchError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly statusCode: number;
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LiftwatchError';
    this.code = code;
    this.retryable = ERROR_CATALOG[code].retryable;
    this.statusCode = ERROR_CATALOG[code].http;
  }
}

/** The one helper that creates liftwatch errors. The message says what was wrong, with the value, and what to do. */
export function lwError(code: ErrorCode, message: string, cause?: unknown): LiftwatchError {
  return new LiftwatchError(code, message, cause === undefined ? undefined : { cause });
}

/**
 * Whether an error says that trying again will not help: it carries `retryable: false`, as a
 * LiftwatchError of a code marked so in the catalog does (BullMQ's UnrecoverableError is the same
 * idea). Any other error, a plain one included, is taken as transient and worth another try.
 */
export function isUnrecoverable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { retryable?: unknown }).retryable === false;
}
