import { BOT_METHODS } from './bot.methods';
import { FILE_METHODS } from './file.methods';
import { MESSAGE_METHODS } from './message.methods';
import type { MethodHandler } from './method-context';
import { UPDATE_METHODS } from './update.methods';

export interface MethodEntry {
  /** The documented spelling, used in recorded calls whatever case the client sent. */
  name: string;
  handler: MethodHandler;
}

const TABLE = new Map<string, MethodEntry>(
  Object.entries({ ...BOT_METHODS, ...MESSAGE_METHODS, ...UPDATE_METHODS, ...FILE_METHODS }).map(
    ([name, handler]) => [name.toLowerCase(), { name, handler }],
  ),
);

/** Bot API method names are case-insensitive. */
export function findMethod(name: string): MethodEntry | undefined {
  return TABLE.get(name.toLowerCase());
}
