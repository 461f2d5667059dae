import { DomainError } from '@ttfd/common';

/** Every way linking can refuse; each edge maps them to its own answer (exhaustive switch). */
export const LINKING_ERROR_CODES = [
  'LINK_CODE_INVALID',
  'LINK_CODE_EXPIRED',
  'LINK_CODE_USED',
  'LINK_TOO_MANY_ATTEMPTS',
  'LINK_SELF',
  'LINK_SAME_PLATFORM',
  'LINK_ALREADY_LINKED',
  'LINK_NOT_LINKED',
  'IDENTITY_UNKNOWN',
] as const;
export type LinkingErrorCode = (typeof LINKING_ERROR_CODES)[number];

export class LinkingError extends DomainError<LinkingErrorCode> {}
