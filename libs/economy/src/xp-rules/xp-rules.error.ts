import { DomainError } from '@ttfd/common';

export const XP_RULES_ERROR_CODES = ['INVALID_XP_RULE', 'XP_EVENT_NOT_FOUND'] as const;
export type XpRulesErrorCode = (typeof XP_RULES_ERROR_CODES)[number];

/** A refused change of the XP rules. Nothing was changed when one of these is thrown. */
export class XpRulesError extends DomainError<XpRulesErrorCode> {}
