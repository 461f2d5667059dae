export type PluralForms = { one: string; few?: string; many?: string; other: string };
/** A string with {placeholders}, or plural forms chosen by the `count` parameter. */
export type Message = string | PluralForms;

/** One area's messages: Russian is the source; English must have exactly the same keys. */
export type MessageSet = { ru: Record<string, Message>; en: Record<string, Message> };
