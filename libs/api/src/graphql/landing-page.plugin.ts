import { createHash } from 'node:crypto';
import { ApolloServerPlugin } from '@apollo/server';

/**
 * Apollo's default landing page loads Sandbox from a CDN, which an offline operator cannot
 * reach. This one is a few lines of inline HTML and script, talking to this server only.
 */
export function localLandingPagePlugin(path: string): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: landingPage(path) };
        },
      };
    },
  };
}

/**
 * CSP sources for the page's own inline script and style (hashes, so nothing else inline runs):
 * the security headers of `path` allow exactly these.
 */
export function landingPageInlineHashes(path: string): { script: string; style: string } {
  const html = landingPage(path);
  const inner = (tag: string) => {
    const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html);
    if (!match) throw new Error(`The landing page has no inline ${tag}`);
    return `'sha256-${createHash('sha256').update(match[1]).digest('base64')}'`;
  };
  return { script: inner('script'), style: inner('style') };
}

export function landingPage(path: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>TTFD Sync GraphQL</title>
<style>
body{font:14px system-ui,sans-serif;margin:1.5rem;max-width:70rem}
textarea,input{width:100%;box-sizing:border-box;font:13px ui-monospace,monospace}
textarea{height:14rem}pre{background:#f4f4f4;padding:1rem;overflow:auto;min-height:8rem}
</style></head><body>
<h1>TTFD Sync GraphQL</h1>
<p>POST queries to <code>${path}</code>. Admin operations need <code>Authorization: Bearer &lt;ADMIN_TOKEN&gt;</code>;
player operations a session from <code>loginWithTelegram</code>. See docs/api.md.</p>
<label>Authorization header value (optional)<input id="auth" placeholder="Bearer ..."></label>
<label>Query<textarea id="query">{ ranks { id nameEn minXp } }</textarea></label>
<label>Variables (JSON)<input id="vars" value="{}"></label>
<p><button id="run">Run</button></p>
<pre id="out"></pre>
<script>
document.getElementById('run').onclick = async function () {
  var headers = { 'content-type': 'application/json' };
  var auth = document.getElementById('auth').value.trim();
  if (auth) headers.authorization = auth;
  var out = document.getElementById('out');
  try {
    var res = await fetch(${JSON.stringify(path)}, { method: 'POST', headers: headers, body: JSON.stringify({
      query: document.getElementById('query').value,
      variables: JSON.parse(document.getElementById('vars').value || '{}') }) });
    out.textContent = JSON.stringify(await res.json(), null, 2);
  } catch (e) { out.textContent = String(e); }
};
</script></body></html>`;
}
