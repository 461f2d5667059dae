import { LinkingError } from './linking.error';

/** The core's own wording of a refused link; each edge answers in the player's language. */
const MESSAGES = {
  LINK_CODE_INVALID: 'This link code does not exist',
  LINK_CODE_EXPIRED: 'This link code has expired',
  LINK_CODE_USED: 'This link code was already used',
  LINK_SELF: 'This code was issued by this same account',
  LINK_SAME_PLATFORM: 'Redeem the code on the other platform',
  LINK_ALREADY_LINKED: 'One of the accounts is already linked',
  LINK_NOT_LINKED: 'This account is not linked',
} as const;

export type LinkRefusalCode = keyof typeof MESSAGES;

export function linkRefusal(code: LinkRefusalCode): LinkingError {
  return new LinkingError(code, MESSAGES[code], {});
}
