/** What went wrong talking to monitor-test; decides the status the agent answers with. */
export type UpstreamFailure = 'unreachable' | 'timeout' | 'bad-status' | 'invalid-body';

export class UpstreamError extends Error {
  constructor(
    readonly failure: UpstreamFailure,
    message: string,
    readonly url: string,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }

  /** 503 when monitor-test cannot be reached in time (try again later), 502 when it answered wrongly. */
  get httpStatus(): 502 | 503 {
    return this.failure === 'unreachable' || this.failure === 'timeout' ? 503 : 502;
  }
}
