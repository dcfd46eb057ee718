/**
 * The one catalogue of Hearth errors. Each entry says its Discord JSON error code, its HTTP
 * status and, for errors that end a gateway connection, its close code. REST bodies are
 * `{code, message, errors?}` as Discord's; gateway closes use {@link GatewayCloseCode}.
 */

/** Discord's gateway close codes (4000–4014), with whether a client may reconnect. */
export const GatewayCloseCode = {
  UNKNOWN_ERROR: 4000,
  UNKNOWN_OPCODE: 4001,
  DECODE_ERROR: 4002,
  NOT_AUTHENTICATED: 4003,
  AUTHENTICATION_FAILED: 4004,
  ALREADY_AUTHENTICATED: 4005,
  INVALID_SEQ: 4007,
  RATE_LIMITED: 4008,
  SESSION_TIMED_OUT: 4009,
  INVALID_SHARD: 4010,
  SHARDING_REQUIRED: 4011,
  INVALID_API_VERSION: 4012,
  INVALID_INTENTS: 4013,
  DISALLOWED_INTENTS: 4014,
} as const;
export type GatewayCloseCode = (typeof GatewayCloseCode)[keyof typeof GatewayCloseCode];

/** Close codes after which a client must not reconnect (Discord's rule). */
export const NON_RECONNECTABLE_CLOSE_CODES: ReadonlySet<number> = new Set([
  GatewayCloseCode.AUTHENTICATION_FAILED,
  GatewayCloseCode.INVALID_SHARD,
  GatewayCloseCode.SHARDING_REQUIRED,
  GatewayCloseCode.INVALID_API_VERSION,
  GatewayCloseCode.INVALID_INTENTS,
  GatewayCloseCode.DISALLOWED_INTENTS,
]);

export interface ErrorEntry {
  /** Discord's JSON error code (0 for generic HTTP errors, as Discord sends). */
  code: number;
  /** HTTP status for REST. */
  status: number;
  message: string;
  /** Close code when this error ends a gateway connection. */
  closeCode?: GatewayCloseCode;
}

/** Every error Hearth reports, by name. Add new errors here, never inline. */
export const Errors = {
  // Generic HTTP
  UNAUTHORIZED: { code: 0, status: 401, message: '401: Unauthorized', closeCode: GatewayCloseCode.AUTHENTICATION_FAILED },
  NOT_FOUND: { code: 0, status: 404, message: '404: Not Found' },
  METHOD_NOT_ALLOWED: { code: 0, status: 405, message: '405: Method Not Allowed' },
  INTERNAL: { code: 0, status: 500, message: '500: Internal Server Error', closeCode: GatewayCloseCode.UNKNOWN_ERROR },
  SERVICE_UNAVAILABLE: { code: 0, status: 503, message: '503: Service Unavailable' },
  // 10xxx unknown resources
  UNKNOWN_ACCOUNT: { code: 10001, status: 404, message: 'Unknown Account' },
  UNKNOWN_APPLICATION: { code: 10002, status: 404, message: 'Unknown Application' },
  UNKNOWN_CHANNEL: { code: 10003, status: 404, message: 'Unknown Channel' },
  UNKNOWN_GUILD: { code: 10004, status: 404, message: 'Unknown Guild' },
  UNKNOWN_INVITE: { code: 10006, status: 404, message: 'Unknown Invite' },
  UNKNOWN_MEMBER: { code: 10007, status: 404, message: 'Unknown Member' },
  UNKNOWN_MESSAGE: { code: 10008, status: 404, message: 'Unknown Message' },
  UNKNOWN_OVERWRITE: { code: 10009, status: 404, message: 'Unknown Overwrite' },
  UNKNOWN_ROLE: { code: 10011, status: 404, message: 'Unknown Role' },
  UNKNOWN_TOKEN: { code: 10012, status: 404, message: 'Unknown Token' },
  UNKNOWN_USER: { code: 10013, status: 404, message: 'Unknown User' },
  UNKNOWN_EMOJI: { code: 10014, status: 400, message: 'Unknown Emoji' },
  UNKNOWN_SESSION: { code: 10020, status: 404, message: 'Unknown Session' },
  // 20xxx / 30xxx / 40xxx limits
  BOTS_CANNOT_USE_ENDPOINT: { code: 20001, status: 403, message: 'Bots cannot use this endpoint' },
  ONLY_BOTS_CAN_USE_ENDPOINT: { code: 20002, status: 403, message: 'Only bots can use this endpoint' },
  MAX_GUILDS: { code: 30001, status: 400, message: 'Maximum number of guilds reached (100)' },
  MAX_REACTIONS: { code: 30010, status: 400, message: 'Maximum number of reactions reached (20)' },
  MAX_ROLES: { code: 30005, status: 400, message: 'Maximum number of guild roles reached (250)' },
  MAX_CHANNELS: { code: 30013, status: 400, message: 'Maximum number of guild channels reached (500)' },
  MAX_INVITES: { code: 30016, status: 400, message: 'Maximum number of invites reached (1000)' },
  PAYLOAD_TOO_LARGE: { code: 40005, status: 413, message: 'Request entity too large' },
  ALREADY_MEMBER: { code: 40007, status: 400, message: 'The user is banned from this guild' },
  // 50xxx refusals
  MISSING_ACCESS: { code: 50001, status: 403, message: 'Missing Access' },
  INVALID_ACCOUNT_TYPE: { code: 50002, status: 403, message: 'Invalid Account Type' },
  CANNOT_EDIT_OTHERS_MESSAGE: { code: 50005, status: 403, message: 'Cannot edit a message authored by another user' },
  NON_TEXT_CHANNEL: { code: 50008, status: 400, message: 'Cannot send messages in a non-text channel' },
  BULK_DELETE_TOO_OLD: { code: 50034, status: 400, message: 'You can only bulk delete messages that are under 14 days old.' },
  EMPTY_MESSAGE: { code: 50006, status: 400, message: 'Cannot send an empty message' },
  INVALID_CHANNEL_TYPE: { code: 50024, status: 400, message: 'Cannot execute action on this channel type' },
  MISSING_PERMISSIONS: { code: 50013, status: 403, message: 'Missing Permissions' },
  INVALID_AUTH_TOKEN: { code: 50014, status: 401, message: 'Invalid authentication token provided', closeCode: GatewayCloseCode.AUTHENTICATION_FAILED },
  INVALID_FORM_BODY: { code: 50035, status: 400, message: 'Invalid Form Body' },
  INVALID_ROLE: { code: 50028, status: 400, message: 'Invalid Role' },
  INVALID_GUILD: { code: 50055, status: 400, message: 'Invalid Guild' },
  MALFORMED_JSON: { code: 50109, status: 400, message: 'The request body contains invalid JSON.' },
  FILE_TOO_LARGE: { code: 40005, status: 413, message: 'Request entity too large: attachments may total 25 MiB per message' },
  OWNER_CANNOT_LEAVE: { code: 50055, status: 400, message: 'Invalid Guild: the owner cannot leave; transfer or delete the guild' },
  RATE_LIMITED: { code: 0, status: 429, message: 'You are being rate limited.', closeCode: GatewayCloseCode.RATE_LIMITED },
  // Voice (Hearth)
  VOICE_CHANNEL_FULL: { code: 50104, status: 403, message: 'This voice channel is full' },
  VOICE_MESH_FULL: { code: 50105, status: 403, message: 'This voice channel has reached the server-wide participant cap' },
  VOICE_NOT_CONNECTED: { code: 50106, status: 400, message: 'You are not connected to a voice channel' },
  VOICE_TARGET_NOT_CONNECTED: { code: 40032, status: 400, message: 'Target user is not connected to voice' },
  // Gateway-only
  GATEWAY_UNKNOWN_OPCODE: { code: 0, status: 400, message: 'Unknown opcode.', closeCode: GatewayCloseCode.UNKNOWN_OPCODE },
  GATEWAY_DECODE_ERROR: { code: 0, status: 400, message: 'Error while decoding payload.', closeCode: GatewayCloseCode.DECODE_ERROR },
  GATEWAY_NOT_AUTHENTICATED: { code: 0, status: 401, message: 'Not authenticated.', closeCode: GatewayCloseCode.NOT_AUTHENTICATED },
  GATEWAY_ALREADY_AUTHENTICATED: { code: 0, status: 400, message: 'Already authenticated.', closeCode: GatewayCloseCode.ALREADY_AUTHENTICATED },
  GATEWAY_INVALID_SEQ: { code: 0, status: 400, message: 'Invalid seq.', closeCode: GatewayCloseCode.INVALID_SEQ },
  GATEWAY_SESSION_TIMED_OUT: { code: 0, status: 408, message: 'Session timed out.', closeCode: GatewayCloseCode.SESSION_TIMED_OUT },
  GATEWAY_INVALID_SHARD: { code: 0, status: 400, message: 'Invalid shard.', closeCode: GatewayCloseCode.INVALID_SHARD },
  GATEWAY_INVALID_API_VERSION: { code: 0, status: 400, message: 'Invalid API version.', closeCode: GatewayCloseCode.INVALID_API_VERSION },
  GATEWAY_INVALID_INTENTS: { code: 0, status: 400, message: 'Invalid intent(s).', closeCode: GatewayCloseCode.INVALID_INTENTS },
  GATEWAY_DISALLOWED_INTENTS: { code: 0, status: 403, message: 'Disallowed intent(s).', closeCode: GatewayCloseCode.DISALLOWED_INTENTS },
  // Client-side (the client core reports these through the bridge; status 0 = no HTTP response)
  CLIENT_SERVER_UNREACHABLE: { code: 0, status: 0, message: 'Cannot reach the Hearth server. Check the address and your connection.' },
  CLIENT_NOT_A_HEARTH_SERVER: { code: 0, status: 0, message: 'That address answered, but it is not a Hearth server.' },
  CLIENT_NO_SERVER: { code: 0, status: 0, message: 'Choose a Hearth server first.' },
  CLIENT_NOT_SIGNED_IN: { code: 0, status: 401, message: 'You are not signed in.' },
  CLIENT_UNSUPPORTED: { code: 0, status: 0, message: 'This is only available in the Hearth desktop app.' },
  CLIENT_NOT_IN_VOICE: { code: 0, status: 0, message: 'You are not in a voice channel.' },
  CLIENT_GATEWAY_FAILED: { code: 0, status: 0, message: 'The connection to the server was refused.' },
  CLIENT_INVITE_OTHER_SERVER: { code: 0, status: 0, message: 'This invite is for another Hearth server. Switch to that server to join.' },
} as const satisfies Record<string, ErrorEntry>;

export type ErrorName = keyof typeof Errors;

/** One field error in Discord's nested `errors` object. */
export interface FieldError {
  code: string;
  message: string;
}

/** Discord's nested error tree: `{field: {_errors: [...]}, nested: {0: {field: {...}}}}`. */
export interface FieldErrorTree {
  _errors?: FieldError[];
  [key: string]: FieldErrorTree | FieldError[] | undefined;
}

/** The JSON body of every REST error. */
export interface ErrorBody {
  code: number;
  message: string;
  errors?: FieldErrorTree;
}

/** The body of a 429 response. */
export interface RateLimitBody {
  message: string;
  retry_after: number;
  global: boolean;
  code?: number;
}

/** An error from the catalogue, thrown anywhere and turned into a response or a close at the edge. */
export class HearthError extends Error {
  override readonly name = 'HearthError';
  readonly entry: ErrorEntry;

  constructor(
    readonly errorName: ErrorName,
    readonly errors?: FieldErrorTree,
    message?: string,
  ) {
    super(message ?? Errors[errorName].message);
    this.entry = Errors[errorName];
  }

  /** The REST body, `{code, message, errors?}`. */
  toBody(): ErrorBody {
    return this.errors
      ? { code: this.entry.code, message: this.message, errors: this.errors }
      : { code: this.entry.code, message: this.message };
  }
}

/** Builds a 50035 Invalid Form Body error for one or more fields given by dotted paths. */
export function invalidFormBody(fields: Record<string, FieldError | FieldError[]>): HearthError {
  const tree: FieldErrorTree = {};
  for (const [path, errors] of Object.entries(fields)) {
    let node = tree;
    for (const key of path.split('.')) {
      const next = (node[key] as FieldErrorTree | undefined) ?? {};
      node[key] = next;
      node = next;
    }
    node._errors = [...(node._errors ?? []), ...(Array.isArray(errors) ? errors : [errors])];
  }
  return new HearthError('INVALID_FORM_BODY', tree);
}
