// The gateway's error catalogue: each error the gateway itself answers with, its code and HTTP status, and how it
// is shaped for the connection's clients (Anthropic's error object for `anthropic`, a plain one for `http`).
// Messages never contain a credential.

export const GATEWAY_ERRORS = {
  GUARD_UNAUTHENTICATED: { status: 401, anthropicType: "authentication_error", summary: "no valid identity token" },
  GUARD_DENIED: { status: 403, anthropicType: "permission_error", summary: "the policy denied the request" },
  GUARD_TOOL_DENIED: { status: 403, anthropicType: "permission_error", summary: "the policy denied a tool call the model made" },
  GUARD_APPROVAL_REQUIRED: { status: 403, anthropicType: "permission_error", summary: "a human must approve this request first" },
  GUARD_POLICY_ERROR: { status: 403, anthropicType: "permission_error", summary: "the policy could not decide; denied (fail closed)" },
  GUARD_NO_BUNDLE: { status: 503, anthropicType: "api_error", summary: "no policy bundle is loaded; denied" },
  GUARD_UNKNOWN_CONNECTION: { status: 404, anthropicType: "not_found_error", summary: "no such connection" },
  GUARD_BODY_TOO_LARGE: { status: 413, anthropicType: "request_too_large", summary: "the request body is larger than the limit" },
  GUARD_BAD_REQUEST: { status: 400, anthropicType: "invalid_request_error", summary: "the request cannot be read" },
  GUARD_AUDIT_UNAVAILABLE: { status: 503, anthropicType: "api_error", summary: "the audit log cannot be written; denied" },
  GUARD_NO_CREDENTIAL: { status: 502, anthropicType: "api_error", summary: "the gateway has no credential for this connection" },
  GUARD_UPSTREAM_TIMEOUT: { status: 504, anthropicType: "api_error", summary: "the upstream did not answer in time" },
  GUARD_UPSTREAM_ERROR: { status: 502, anthropicType: "api_error", summary: "the upstream could not be reached" },
} as const;

export type GatewayErrorCode = keyof typeof GATEWAY_ERRORS;

export class GatewayError extends Error {
  readonly status: number;
  constructor(
    readonly code: GatewayErrorCode,
    message: string = GATEWAY_ERRORS[code].summary,
    readonly decisionId?: string,
    /** More for the caller (an approval's id and status URL). */
    readonly details?: Record<string, string>,
  ) {
    super(message);
    this.status = GATEWAY_ERRORS[code].status;
  }

  /** The same error, naming the decision it belongs to. */
  withDecision(decisionId: string): GatewayError {
    return new GatewayError(this.code, this.message, decisionId, this.details);
  }
}

/** The body of an error answer, in the shape the connection's clients read. */
export function errorBody(e: GatewayError, connectionType: "anthropic" | "http" | undefined): unknown {
  if (connectionType === "anthropic") {
    // Anthropic's own shape, so that Claude clients show the message; the code and decision id ride along.
    return {
      type: "error",
      error: { type: GATEWAY_ERRORS[e.code].anthropicType, message: `Guard: ${e.message}`, guard_code: e.code, ...(e.decisionId ? { decision_id: e.decisionId } : {}), ...e.details },
    };
  }
  return { error: { code: e.code, message: e.message, ...(e.decisionId ? { decision_id: e.decisionId } : {}), ...e.details } };
}
