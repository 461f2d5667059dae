import { DomainError } from '@ttfd/common';

/** Every way a role-mapping change can be refused; each edge maps them to its own answer. */
export const ROLE_MAPPING_ERROR_CODES = [
  'UNKNOWN_RANK',
  'UNKNOWN_ACHIEVEMENT',
  'ROLE_ALREADY_MAPPED',
  'UNKNOWN_DISCORD_ROLE',
  'MAPPING_KEY_REPEATED',
] as const;
export type RoleMappingErrorCode = (typeof ROLE_MAPPING_ERROR_CODES)[number];

export class RoleMappingError extends DomainError<RoleMappingErrorCode> {}
