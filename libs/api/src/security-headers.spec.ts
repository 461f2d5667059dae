import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { landingPage } from './graphql/landing-page.plugin';
import { contentSecurityPolicies } from './security-headers';

describe('content security policies', () => {
  const policies = contentSecurityPolicies('/graphql');

  it('let the dashboard load the Telegram Login Widget from the origins its code uses', () => {
    const source = readFileSync(
      join(
        __dirname,
        '..',
        '..',
        '..',
        'apps',
        'dashboard',
        'src',
        'components',
        'telegram-login.ts',
      ),
      'utf8',
    );
    const widget = /WIDGET_SRC = '([^']+)'/.exec(source)![1];
    expect(policies.dashboard['script-src']).toContain(new URL(widget).origin);
    // The widget's script opens its login frame from oauth.telegram.org.
    expect(policies.dashboard['frame-src']).toEqual(['https://oauth.telegram.org']);
    expect(policies.dashboard['script-src']).not.toContain("'unsafe-inline'");
    expect(policies.dashboard['style-src']).toEqual(["'self'"]);
  });

  it('allow exactly the GraphQL landing page inline script and style, by hash', () => {
    const html = landingPage('/graphql');
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(policies.graphql['script-src']).toEqual([
      expect.stringMatching(/^'sha256-[A-Za-z0-9+/=]+'$/),
    ]);
    expect(policies.graphql['style-src']).toEqual([expect.stringMatching(/^'sha256-/)]);
  });

  it('forbid framing everywhere', () => {
    for (const policy of Object.values(policies)) {
      expect(policy['frame-ancestors']).toEqual(["'none'"]);
    }
  });
});
