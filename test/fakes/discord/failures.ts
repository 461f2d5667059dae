/**
 * Failure injection: the next N requests matching a route answer with an error instead of
 * reaching the fake's state, so fault drills can show that the app waits out 429s, retries
 * 500s and ends up with the right roles anyway.
 */
import { matchesRoute } from './route-pattern';
import type { InjectedFailure, RouteMatcher } from './types';

interface Rule {
  matcher: RouteMatcher;
  failure: InjectedFailure;
  remaining: number;
}

export class FailureInjector {
  private rules: Rule[] = [];

  add(matcher: RouteMatcher, failure: InjectedFailure, times: number): void {
    if (!Number.isInteger(times) || times < 1)
      throw new Error(`failNext: times must be >= 1, got ${times}`);
    if (failure.status === 429 && failure.retryAfterSeconds === undefined) {
      throw new Error('failNext: a 429 needs retryAfterSeconds');
    }
    this.rules.push({ matcher, failure, remaining: times });
  }

  /** The failure for this request, if a rule matches; consumes one use of that rule. */
  take(method: string, path: string): InjectedFailure | undefined {
    const rule = this.rules.find((r) => matchesRoute(r.matcher, method, path));
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining === 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule.failure;
  }

  pending(): number {
    return this.rules.reduce((n, r) => n + r.remaining, 0);
  }

  clear(): void {
    this.rules = [];
  }
}
