import { IncomingMessage, judgeMessage, normalizeText, visibleLength } from './message-filter';

const rules = {
  guildId: '100000000000000001',
  minChars: 3,
};
const message = (patch: Partial<IncomingMessage> = {}): IncomingMessage => ({
  guildId: rules.guildId,
  channelId: '200000000000000001',
  authorIsBot: false,
  webhookId: null,
  system: false,
  content: 'good game',
  ...patch,
});

describe('judgeMessage', () => {
  it('lets an ordinary member message earn, with its normalized text', () => {
    expect(judgeMessage(message({ content: '  Good   GAME ' }), rules)).toEqual({
      earns: true,
      normalized: 'good game',
    });
  });

  it.each([
    ['a DM', { guildId: null }, 'dm'],
    ['another guild', { guildId: '100000000000000002' }, 'other_guild'],
    ['a bot', { authorIsBot: true }, 'bot'],
    ['a webhook', { webhookId: '300000000000000001', authorIsBot: true }, 'webhook'],
    ['a system message', { system: true }, 'system'],
    ['very short text', { content: ' o k ' }, 'too_short'],
    ['empty text (an attachment only)', { content: '' }, 'too_short'],
  ] as const)('refuses %s', (_what, patch, why) => {
    expect(judgeMessage(message(patch), rules)).toEqual({ earns: false, why });
  });

  it('counts characters, not UTF-16 units or spaces', () => {
    expect(visibleLength('👍👍')).toBe(2);
    expect(visibleLength('a b c')).toBe(3);
    expect(judgeMessage(message({ content: 'abc' }), rules).earns).toBe(true);
    expect(judgeMessage(message({ content: 'ab' }), { ...rules, minChars: 0 }).earns).toBe(true);
  });

  it('normalizes case, spacing and composed characters so repeats are caught', () => {
    expect(normalizeText('GG\n\twp')).toBe('gg wp');
    expect(normalizeText('e\u0301')).toBe(normalizeText('\u00e9'));
  });
});
