// Daytona's error shapes: `{statusCode, message, error}` from the API and proxy, `{error}` from the toolbox daemon.
import { STATUS_CODES } from "node:http";

/** A JSON error body for the API (`/api/...`) or for the runner's toolbox proxy. */
export interface ApiErrorBody {
  statusCode: number;
  message: string;
  /** The HTTP reason phrase, e.g. "Conflict". */
  error: string;
}

/** A JSON error body as the toolbox daemon writes it (`/toolbox/{id}/process/...`). */
export interface DaemonErrorBody {
  error: string;
}

/** An error that already knows its HTTP status and body; routes throw it and the server answers with it. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | DaemonErrorBody,
  ) {
    super("message" in body ? body.message : body.error);
    this.name = "HttpError";
  }
}

/** An error in the API's shape; the SDK maps the status to its error class (409 → DaytonaConflictError). */
export function apiError(status: number, message: string): HttpError {
  return new HttpError(status, { statusCode: status, message, error: STATUS_CODES[status] ?? "Error" });
}

/** An error in the toolbox daemon's shape. */
export function daemonError(status: number, message: string): HttpError {
  return new HttpError(status, { error: message });
}

/** The runner's answer to a toolbox call on a sandbox that is not running. */
export function sandboxNotStartedError(sandboxId: string, state: string): HttpError {
  return apiError(400, `Sandbox ${sandboxId} is ${state}. Is the Sandbox started?`);
}

/** Turns anything thrown by a route into an HttpError; unknown failures become a 500 in the API's shape. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  return apiError(500, error instanceof Error ? error.message : String(error));
}
