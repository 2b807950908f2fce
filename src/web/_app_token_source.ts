// Internal: the app token (client credentials) under the refresh rule, in
// memory: a new one is fetched only while the token that failed is still
// the current one, and concurrent callers share that one request.

import type { AccessToken } from "./access_token.ts";

/** One app token, renewed by the refresh rule. */
export class AppTokenSource {
  readonly #request: () => Promise<AccessToken>;
  #token: AccessToken | undefined;
  #renewing: Promise<AccessToken> | undefined;

  constructor(request: () => Promise<AccessToken>) {
    this.#request = request;
  }

  /** The current token, if any. */
  get current(): AccessToken | undefined {
    return this.#token;
  }

  /** A token that does not expire within `margin` milliseconds. */
  async valid(margin: number): Promise<AccessToken> {
    const token = this.#token;
    if (token && !token.isExpired(margin)) return token;
    return await this.renew(token);
  }

  /**
   * A new token if `failed` is still the current one (`undefined`: none
   * yet), else the current one.
   */
  renew(failed: AccessToken | undefined): Promise<AccessToken> {
    if (this.#token !== failed && this.#token) {
      return Promise.resolve(this.#token);
    }
    this.#renewing ??= this.#request().then((token) => {
      this.#token = token;
      return token;
    }).finally(() => {
      this.#renewing = undefined;
    });
    return this.#renewing;
  }
}
