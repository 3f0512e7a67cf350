/**
 * CSP Level 3 `frame-ancestors` for LTI pages: only the registered platforms may frame the tool
 * (their issuer, authentication and token origins; Instructure-hosted Canvas frames from
 * customer subdomains of instructure.com). Recomputed at most every few seconds, so a new
 * registration is framable at once without a query per request.
 */
import type { LtiPlatformRepository } from '../store/lti-platform-repository.ts';

const CANVAS_CLOUD = /^https:\/\/canvas(\.beta|\.test)?\.instructure\.com$/;
const REFRESH_MS = 5_000;

export class FrameAncestors {
  #value: string | undefined;
  #computedAt = 0;

  constructor(
    private readonly platforms: LtiPlatformRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A space-separated source list ("'none'" when no platform is registered). */
  async sources(): Promise<string> {
    const at = this.now().getTime();
    if (this.#value === undefined || at - this.#computedAt > REFRESH_MS) {
      const origins = new Set<string>();
      for (const platform of await this.platforms.list()) {
        for (const url of [platform.issuer, platform.authUrl, platform.tokenUrl]) {
          try {
            origins.add(new URL(url).origin);
          } catch {
            // Stored URLs were checked when registered; an unreadable one simply adds nothing.
          }
        }
        if (CANVAS_CLOUD.test(platform.issuer)) origins.add('https://*.instructure.com');
      }
      this.#value = origins.size > 0 ? [...origins].sort().join(' ') : "'none'";
      this.#computedAt = at;
    }
    return this.#value;
  }

  /** Forget the cached list (after a registration on this instance). */
  invalidate(): void {
    this.#value = undefined;
  }
}

/** The full policy of an LTI page: scripts and styles only from the tool, framing only by the platforms. */
export function ltiContentSecurityPolicy(frameAncestors: string, formActions: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    // lti-storage.js confirms a platform-storage launch with fetch().
    "connect-src 'self'",
    "base-uri 'none'",
    `form-action 'self'${formActions.map((o) => ` ${o}`).join('')}`,
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}
