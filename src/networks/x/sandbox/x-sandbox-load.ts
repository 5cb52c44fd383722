import type { FastifyInstance } from 'fastify';

/**
 * How many API requests the sandbox is answering at once, and the most it has answered at once:
 * what a client's limit on requests in flight looks like from X's side.
 */
export class XSandboxLoad {
  #inFlight = 0;
  #most = 0;

  /** Counts every `/2/` request from its arrival to its answer. */
  watch(app: FastifyInstance): void {
    const isApi = (url: string) => url.startsWith('/2/');
    app.addHook('onRequest', async (request) => {
      if (!isApi(request.url)) return;
      this.#inFlight += 1;
      this.#most = Math.max(this.#most, this.#inFlight);
    });
    app.addHook('onResponse', async (request) => {
      if (isApi(request.url)) this.#inFlight -= 1;
    });
  }

  /** The figures so far. */
  read(): { requestsInFlight: number; mostRequestsInFlight: number } {
    return { requestsInFlight: this.#inFlight, mostRequestsInFlight: this.#most };
  }

  /** Starts counting the most at once again from now. */
  reset(): void {
    this.#most = this.#inFlight;
  }
}
