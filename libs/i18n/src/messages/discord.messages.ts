import { MessageSet } from '../message';

/** The Discord bot: slash command texts, replies, the profile embed and DM notifications. */
export const discordMessages = {
  ru: {
    'discord.command.link': 'Связать аккаунт с Telegram (без кода: получить код)',
    'discord.command.link.code': 'Код из Telegram-бота',
    'discord.command.unlink': 'Отвязать Telegram-аккаунт',
    'discord.command.profile': 'Твой профиль: XP, монеты, ранг, достижения',
    'discord.command.rank': 'Карточка ранга: XP до следующего ранга, монеты, место в сезоне',
    'discord.command.sync': 'Обновить твои роли прямо сейчас',
    'discord.command.top': 'Таблица лидеров сезона',
    'discord.command.settings': 'Личные сообщения и видимость в топе',
    'discord.command.stats': 'Статистика синхронизации (для админов)',

    'discord.link.issued':
      'Твой код: **{code}**. Отправь Telegram-боту `/link {code}` в течение {minutes} мин.',
    'discord.link.redeemed':
      'Готово! Аккаунты связаны: теперь у тебя один профиль в Telegram и Discord.',
    'discord.unlink.confirm':
      'Отвязать Telegram? Профиль останется в Telegram, здесь начнёшь с нуля, роли за ранг и достижения будут сняты.',
    'discord.unlink.yes': 'Отвязать',
    'discord.unlink.no': 'Отмена',
    'discord.unlink.done': 'Telegram отвязан. Здесь у тебя новый профиль.',
    'discord.unlink.cancelled': 'Ничего не изменилось.',
    'discord.unlink.notYours': 'Эта кнопка не для тебя.',

    'discord.profile.title': 'Профиль: {name}',
    'discord.profile.xp': 'XP',
    'discord.profile.coins': 'Монеты',
    'discord.profile.rank': 'Ранг',
    'discord.profile.rankValue': '{rank} ({id}/20)',
    'discord.profile.progress': 'Прогресс',
    'discord.profile.progressValue': '{into} / {needed} XP до «{next}» ({percent}%)',
    'discord.profile.maxRank': 'Максимальный ранг',
    'discord.profile.achievements': 'Достижения',
    'discord.profile.noAchievements': 'Пока нет',
    'discord.profile.telegram': 'Telegram',
    'discord.profile.linked': 'привязан',
    'discord.profile.notLinked': 'не привязан (/link)',
    'discord.profile.season': 'Сезон',
    'discord.profile.seasonValue': '{place}-е место, {xp} XP',

    'discord.sync.changed': 'Роли обновлены. Добавлено: {added}. Снято: {removed}.',
    'discord.sync.unchanged': 'Твои роли уже в порядке.',
    'discord.sync.none': 'нет',
    'discord.command.tooFast': 'Слишком много команд подряд. Попробуй снова через {seconds} с.',
    'discord.sync.tooSoon': '/sync можно раз в {cooldown} с. Попробуй снова через {seconds} с.',

    'discord.top.title': 'Лидеры сезона',
    'discord.top.empty': 'В этом сезоне ещё никто не набрал XP.',
    'discord.top.noSeason': 'Сейчас нет открытого сезона.',
    'discord.top.line': '{place}. {name}: {xp} XP',
    'discord.top.you': 'Ты: {place}-е место, {xp} XP',
    'discord.top.anonymous': 'Игрок #{id}',
    'discord.top.seasonEnds': 'Сезон закончится: {time}.',

    'discord.stats.title': 'Синхронизация за {minutes} мин.',
    'discord.stats.forbidden': 'Эта команда только для администраторов сервера.',
    'discord.stats.statuses': 'События',
    'discord.stats.statusesValue':
      'ожидают {pending}, в работе {processing}, выполнены {completed}, с ошибкой {failed}',
    'discord.stats.throughput': 'Выполнено в минуту',
    'discord.stats.lag': 'Задержка p50 / p95 / max',
    'discord.stats.oldestPending': 'Самое старое ожидающее',
    'discord.stats.none': '—',

    'discord.notify.rankUp': 'Новый ранг: **{rank}**! ({xp} XP)',
    'discord.notify.rankDown': 'Твой ранг теперь **{rank}** ({xp} XP).',
    'discord.notify.achievement': 'Достижение получено: **{name}**!',
    'discord.notify.linked': 'Аккаунты Telegram и Discord связаны.',
    'discord.notify.unlinked': 'Аккаунты Telegram и Discord отвязаны.',
    'discord.notify.linkCodeBurned':
      'Твой код для связи ввели в общем чате Telegram, и он больше не действует. Получи новый: /link здесь (ответ видишь только ты) и отправь его Telegram-боту в личку.',
    // Domain errors whose shared wording (error.*) speaks from Telegram's side.
    'discord.error.ACCOUNT_NOT_FOUND':
      'Профиль не найден. Напиши сообщение на сервере или /profile.',
    'discord.error.LINK_CODE_EXPIRED':
      'Срок действия кода истёк. Получи новый: /link в Telegram-боте.',
    'discord.error.LINK_SELF': 'Этот код выдан тобой же: введи его в Telegram-боте, а не здесь.',
    'discord.error.LINK_SAME_PLATFORM':
      'Этот код выдан в Discord: его нужно ввести в Telegram-боте.',
    'discord.error.LINK_ALREADY_LINKED': 'Аккаунт уже связан с Telegram. Сначала /unlink.',
    'discord.error.LINK_NOT_LINKED': 'Telegram не связан с этим профилем.',
    'discord.error.IDENTITY_UNKNOWN':
      'Я тебя ещё не знаю. Напиши что-нибудь на сервере или /profile.',
  },
  en: {
    'discord.command.link': 'Link your Telegram account (without a code: get one)',
    'discord.command.link.code': 'The code from the Telegram bot',
    'discord.command.unlink': 'Unlink your Telegram account',
    'discord.command.profile': 'Your profile: XP, coins, rank, achievements',
    'discord.command.rank': 'Your rank card: XP to the next rank, coins, season place',
    'discord.command.sync': 'Update your roles right now',
    'discord.command.top': 'The season leaderboard',
    'discord.command.settings': 'Direct messages and leaderboard visibility',
    'discord.command.stats': 'Sync statistics (admins)',

    'discord.link.issued':
      'Your code: **{code}**. Send `/link {code}` to the Telegram bot within {minutes} min.',
    'discord.link.redeemed': 'Done! Your accounts are linked: one profile on Telegram and Discord.',
    'discord.unlink.confirm':
      'Unlink Telegram? Your profile stays with Telegram, here you start from zero, and rank and achievement roles are removed.',
    'discord.unlink.yes': 'Unlink',
    'discord.unlink.no': 'Cancel',
    'discord.unlink.done': 'Telegram unlinked. You have a new profile here.',
    'discord.unlink.cancelled': 'Nothing changed.',
    'discord.unlink.notYours': 'This button is not for you.',

    'discord.profile.title': 'Profile: {name}',
    'discord.profile.xp': 'XP',
    'discord.profile.coins': 'Coins',
    'discord.profile.rank': 'Rank',
    'discord.profile.rankValue': '{rank} ({id}/20)',
    'discord.profile.progress': 'Progress',
    'discord.profile.progressValue': '{into} / {needed} XP to "{next}" ({percent}%)',
    'discord.profile.maxRank': 'Highest rank',
    'discord.profile.achievements': 'Achievements',
    'discord.profile.noAchievements': 'None yet',
    'discord.profile.telegram': 'Telegram',
    'discord.profile.linked': 'linked',
    'discord.profile.notLinked': 'not linked (/link)',
    'discord.profile.season': 'Season',
    'discord.profile.seasonValue': 'place {place}, {xp} XP',

    'discord.sync.changed': 'Roles updated. Added: {added}. Removed: {removed}.',
    'discord.sync.unchanged': 'Your roles are already up to date.',
    'discord.sync.none': 'none',
    'discord.command.tooFast': 'Too many commands in a row. Try again in {seconds} s.',
    'discord.sync.tooSoon': '/sync works once every {cooldown} s. Try again in {seconds} s.',

    'discord.top.title': 'Season leaders',
    'discord.top.empty': 'Nobody has earned XP this season yet.',
    'discord.top.noSeason': 'No season is open right now.',
    'discord.top.line': '{place}. {name}: {xp} XP',
    'discord.top.you': 'You: place {place}, {xp} XP',
    'discord.top.anonymous': 'Player #{id}',
    'discord.top.seasonEnds': 'Season ends: {time}.',

    'discord.stats.title': 'Sync over {minutes} min',
    'discord.stats.forbidden': 'This command is for server admins only.',
    'discord.stats.statuses': 'Events',
    'discord.stats.statusesValue':
      'pending {pending}, processing {processing}, completed {completed}, failed {failed}',
    'discord.stats.throughput': 'Completed per minute',
    'discord.stats.lag': 'Lag p50 / p95 / max',
    'discord.stats.oldestPending': 'Oldest pending',
    'discord.stats.none': '—',

    'discord.notify.rankUp': 'New rank: **{rank}**! ({xp} XP)',
    'discord.notify.rankDown': 'Your rank is now **{rank}** ({xp} XP).',
    'discord.notify.achievement': 'Achievement unlocked: **{name}**!',
    'discord.notify.linked': 'Your Telegram and Discord accounts are linked.',
    'discord.notify.unlinked': 'Your Telegram and Discord accounts were unlinked.',
    'discord.notify.linkCodeBurned':
      'Your link code was typed in a Telegram group, so it no longer works. Get a new one with /link here (only you see the answer) and send it to the Telegram bot in private.',
    'discord.error.ACCOUNT_NOT_FOUND': 'Profile not found. Write on the server or use /profile.',
    'discord.error.LINK_CODE_EXPIRED':
      'The code has expired. Get a new one: /link in the Telegram bot.',
    'discord.error.LINK_SELF':
      'You issued this code yourself: enter it in the Telegram bot, not here.',
    'discord.error.LINK_SAME_PLATFORM':
      'This code was issued on Discord: enter it in the Telegram bot.',
    'discord.error.LINK_ALREADY_LINKED':
      'The account is already linked to Telegram. /unlink first.',
    'discord.error.LINK_NOT_LINKED': 'No Telegram account is linked to this profile.',
    'discord.error.IDENTITY_UNKNOWN':
      "I don't know you yet. Write something on the server or use /profile.",
  },
} satisfies MessageSet;
