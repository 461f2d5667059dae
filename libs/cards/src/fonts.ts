import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';

/** The family name the card draws with: our own registration, never a system font. */
export const CARD_FONT = 'TTFD Card Sans';

const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'] as const;
const FONTS_DIR = join('libs', 'cards', 'assets', 'fonts');

let registered = false;

/**
 * Registers the shipped DejaVu Sans (Latin and Cyrillic, Bitstream Vera licence beside it) once
 * per process, so the card looks the same on every machine whatever fonts it has. The directory
 * is found by walking up from this file: it is `../assets/fonts` in the sources and the same
 * repository path next to `dist/` in a build (the Dockerfile copies it).
 */
export function registerCardFonts(): void {
  if (registered) return;
  const dir = findFontsDir();
  for (const file of FONT_FILES) {
    if (!GlobalFonts.registerFromPath(join(dir, file), CARD_FONT)) {
      throw new Error(`Could not register the card font ${join(dir, file)}`);
    }
  }
  registered = true;
}

function findFontsDir(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, FONTS_DIR);
    if (existsSync(join(candidate, FONT_FILES[0]))) return candidate;
    const sibling = join(dir, 'assets', 'fonts');
    if (dir.endsWith(join('libs', 'cards')) && existsSync(join(sibling, FONT_FILES[0]))) {
      return sibling;
    }
    if (dirname(dir) === dir) break;
  }
  throw new Error(`The card fonts (${FONTS_DIR}) were not found above ${__dirname}`);
}
