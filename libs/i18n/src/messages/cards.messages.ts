import { MessageSet } from '../message';

/** The rank card image (both bots): its labels and the alternative text of the attachment. */
export const cardMessages = {
  ru: {
    'card.rank': 'Ранг {id}/20',
    'card.xp': 'XP',
    'card.coins': 'Монеты',
    'card.season': 'Сезон',
    'card.seasonPlace': '#{place}',
    'card.noSeasonPlace': '—',
    'card.progress': '{into} / {needed} XP до «{next}»',
    'card.maxRank': 'Высший ранг: {xp} XP',
    'card.achievements': 'Достижения',
    'card.noAchievements': 'Пока нет',
    'card.moreAchievements': '+{count}',
    'card.description': 'Карточка ранга: {name}',
  },
  en: {
    'card.rank': 'Rank {id}/20',
    'card.xp': 'XP',
    'card.coins': 'Coins',
    'card.season': 'Season',
    'card.seasonPlace': '#{place}',
    'card.noSeasonPlace': '—',
    'card.progress': '{into} / {needed} XP to "{next}"',
    'card.maxRank': 'Highest rank: {xp} XP',
    'card.achievements': 'Achievements',
    'card.noAchievements': 'None yet',
    'card.moreAchievements': '+{count}',
    'card.description': 'Rank card: {name}',
  },
} satisfies MessageSet;
