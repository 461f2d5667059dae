import { translate, type MessageKey } from '@ttfd/i18n';

/** A slash command's description in English (Discord's default) with the Russian localization. */
export function described(key: MessageKey): {
  description: string;
  descriptionLocalizations: { ru: string };
} {
  return {
    description: translate('en', key),
    descriptionLocalizations: { ru: translate('ru', key) },
  };
}
