import { routeTemplate } from './discord-rest-watch';

describe('routeTemplate', () => {
  it.each([
    ['/api/v10/channels/123456789012345678/messages', '/channels/:id/messages'],
    [
      '/guilds/111111111111111111/members/222222222222222222/roles/333333333333333333',
      '/guilds/:id/members/:id/roles/:id',
    ],
    ['/interactions/:id/:token/callback', '/interactions/:id/:token/callback'],
    [
      '/api/v10/interactions/1234567/aW50ZXJhY3Rpb24/callback?with_response=false',
      '/interactions/:id/:token/callback',
    ],
    [
      '/webhooks/987654321/abc.def-ghi/messages/@original',
      '/webhooks/:id/:token/messages/@original',
    ],
    ['/webhooks/:id/:token/messages/@original', '/webhooks/:id/:token/messages/@original'],
    ['/users/@me/channels', '/users/@me/channels'],
    ['/webhooks/1/tok/messages/%40original', '/webhooks/:id/:token/messages/@original'],
  ])('%s -> %s', (path, template) => {
    expect(routeTemplate(path)).toBe(template);
  });
});
