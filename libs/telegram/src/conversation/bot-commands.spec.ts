import { botCommands, commandArgs, commandOf } from './bot-commands';

describe('bot commands', () => {
  it('parses commands with and without the bot name and args', () => {
    expect(commandOf('/start')).toBe('start');
    expect(commandOf('/Link@ttfd_bot ABC')).toBe('link');
    expect(commandOf('hello /start')).toBeUndefined();
    expect(commandOf('42')).toBeUndefined();
    expect(commandArgs('/link  AB-CD ')).toBe('AB-CD');
    expect(commandArgs('/link')).toBe('');
  });

  it('describes each menu command in both languages', () => {
    expect(botCommands('ru').map((c) => c.command)).toEqual(
      botCommands('en').map((c) => c.command),
    );
    for (const command of [...botCommands('ru'), ...botCommands('en')]) {
      expect(command.description).not.toMatch(/^telegram\./);
    }
  });
});
