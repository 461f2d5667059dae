import { XpRulesOverview } from '@ttfd/economy';
import { XpRulesModel } from './xp-rules.models';

/** The admin's view of the rules, the same over GraphQL and REST. */
export function xpRulesView(overview: XpRulesOverview): XpRulesModel {
  const { templates, ...announcements } = overview.announcements;
  return {
    ...overview,
    announcements: { ...announcements, templateRu: templates.ru, templateEn: templates.en },
  };
}
