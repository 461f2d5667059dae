/** The placeholders an announcement template may use. */
export const ANNOUNCEMENT_PLACEHOLDERS = ['player', 'rank', 'platform'] as const;
export const ANNOUNCEMENT_TEMPLATE_MAX = 500;

/** Unknown placeholders in a template ("{rnak}"), for a clear refusal. */
export function unknownPlaceholders(template: string): string[] {
  const found = [...template.matchAll(/\{([^{}]*)\}/g)].map((match) => match[1]);
  return [
    ...new Set(
      found.filter((name) => !(ANNOUNCEMENT_PLACEHOLDERS as readonly string[]).includes(name)),
    ),
  ];
}

/** Fills the placeholders; every other character is kept as written. */
export function renderAnnouncement(
  template: string,
  values: Record<(typeof ANNOUNCEMENT_PLACEHOLDERS)[number], string>,
): string {
  return template.replace(
    /\{(player|rank|platform)\}/g,
    (_, name: keyof typeof values) => values[name],
  );
}
