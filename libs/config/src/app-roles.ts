export const APP_ROLE_NAMES = ['api', 'telegram', 'discord', 'worker', 'scheduler'] as const;
export type AppRole = (typeof APP_ROLE_NAMES)[number];

export function isAppRole(value: string): value is AppRole {
  return (APP_ROLE_NAMES as readonly string[]).includes(value);
}
