// API Gateway's authorizer result cache: per authorizer, keyed by the identity source values (a
// TOKEN authorizer's token), for the authorizer's TTL. It keeps the authorizer's whole answer, not
// a verdict: the policy is evaluated again against each request's methodArn, which is how a cached
// policy naming only the first method denies a sibling route on AWS. — doc KC
// api-gateway-lambda-authorization-errors ("the returned IAM policy is cached … applied to any other
// API request made within the TTL … additional requests fail because the path does not match");
// doc API Reference Authorizer.authorizerResultTtlInSeconds (0 disables, default 300, max 3600).
import type { AuthorizerAnswer } from './policy.js';

interface Entry {
  answer: AuthorizerAnswer;
  expiresAt: number;
}

export class AuthorizerCache {
  private readonly entries = new Map<string, Entry>();

  /** The answer cached for these identity values, if still fresh at `now` (ms since the epoch). */
  get(authorizer: string, values: readonly string[], now: number): AuthorizerAnswer | undefined {
    const key = cacheKey(authorizer, values);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.answer;
  }

  set(authorizer: string, values: readonly string[], answer: AuthorizerAnswer, ttlSeconds: number, now: number): void {
    if (ttlSeconds <= 0) return;
    this.entries.set(cacheKey(authorizer, values), { answer, expiresAt: now + ttlSeconds * 1000 });
  }

  /** Forgets every answer (the dev server calls this when an authorizer's code changes). */
  clear(): void {
    this.entries.clear();
  }
}

export function createAuthorizerCache(): AuthorizerCache {
  return new AuthorizerCache();
}

// NUL cannot occur in a header, query value or stage variable, so values never run together.
function cacheKey(authorizer: string, values: readonly string[]): string {
  return `${authorizer}\u0000${values.join('\u0000')}`;
}
