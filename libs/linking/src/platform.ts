/** The two platforms a player can have an identity on. */
export const PLATFORMS = ['telegram', 'discord'] as const;
export type Platform = (typeof PLATFORMS)[number];

export function otherPlatform(platform: Platform): Platform {
  return platform === 'telegram' ? 'discord' : 'telegram';
}
