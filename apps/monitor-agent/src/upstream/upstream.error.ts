/** What went wrong talking to monitor-test; decides the status the agent answers with. */
export type UpstreamFailure = 'unreachable' | 'timeout' | 'circuit-open' | 'bad-status' | 'invalid-body';

export class UpstreamError extends Error {
  constructor(
    readonly failure: UpstreamFailure,
    message: string,
    readonly url: string,
    /** The HTTP status monitor-test answered with, for `bad-status`. */
    readonly upstreamStatus?: number,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }

  /** 503 when monitor-test cannot be reached (try again later), 502 when it answered wrongly. */
  get httpStatus(): 502 | 503 {
    return this.failure === 'bad-status' || this.failure === 'invalid-body' ? 502 : 503;
  }

  /** Worth another try: the connection failed or monitor-test had a server error. */
  get transient(): boolean {
    return this.failure === 'unreachable' || (this.failure === 'bad-status' && (this.upstreamStatus ?? 0) >= 500);
  }
}
