/**
 * The quiz bank, shipped as data. Every question has Russian and English text, the same
 * options in the same order in both languages, and the index of the correct option. Sessions
 * store only the question id, so texts can be corrected without touching running games.
 */
export interface QuizText {
  text: string;
  options: string[];
}

export interface QuizQuestion {
  id: string;
  ru: QuizText;
  en: QuizText;
  correct: number;
}

const q = (
  id: string,
  ru: [string, string[]],
  en: [string, string[]],
  correct: number,
): QuizQuestion => ({
  id,
  ru: { text: ru[0], options: ru[1] },
  en: { text: en[0], options: en[1] },
  correct,
});

export const QUIZ_BANK: readonly QuizQuestion[] = [
  q(
    'tetris_origin',
    ['В какой стране создали «Тетрис»?', ['СССР', 'Япония', 'США', 'Франция']],
    ['In which country was Tetris created?', ['USSR', 'Japan', 'USA', 'France']],
    0,
  ),
  q(
    'mario_job',
    [
      'Кем по профессии был Марио в большинстве игр?',
      ['Пекарем', 'Сантехником', 'Врачом', 'Пилотом'],
    ],
    ["What is Mario's job in most games?", ['Baker', 'Plumber', 'Doctor', 'Pilot']],
    1,
  ),
  q(
    'minecraft_creeper',
    [
      'Что делает крипер в Minecraft?',
      ['Стреляет из лука', 'Взрывается', 'Ворует предметы', 'Телепортируется'],
    ],
    [
      'What does a creeper do in Minecraft?',
      ['Shoots arrows', 'Explodes', 'Steals items', 'Teleports'],
    ],
    1,
  ),
  q(
    'pacman_year',
    ['В каком году вышел Pac-Man?', ['1972', '1980', '1989', '1995']],
    ['In which year was Pac-Man released?', ['1972', '1980', '1989', '1995']],
    1,
  ),
  q(
    'zelda_hero',
    ['Как зовут героя серии The Legend of Zelda?', ['Зельда', 'Линк', 'Ганон', 'Эпона']],
    ['What is the name of the hero of The Legend of Zelda?', ['Zelda', 'Link', 'Ganon', 'Epona']],
    1,
  ),
  q(
    'sonic_color',
    ['Какого цвета ёж Соник?', ['Красного', 'Зелёного', 'Синего', 'Жёлтого']],
    ['What colour is Sonic the Hedgehog?', ['Red', 'Green', 'Blue', 'Yellow']],
    2,
  ),
  q(
    'cs_bomb_sites',
    [
      'Сколько точек закладки бомбы на классических картах Counter-Strike?',
      ['Одна', 'Две', 'Три', 'Четыре'],
    ],
    ['How many bomb sites are on classic Counter-Strike maps?', ['One', 'Two', 'Three', 'Four']],
    1,
  ),
  q(
    'dota_ancient',
    [
      'Что нужно разрушить, чтобы победить в Dota 2?',
      ['Трон (Древнего)', 'Все башни', 'Рошана', 'Казармы'],
    ],
    [
      'What must be destroyed to win in Dota 2?',
      ['The Ancient', 'All towers', 'Roshan', 'The barracks'],
    ],
    0,
  ),
  q(
    'pokemon_first',
    ['Какой покемон под номером 1 в покедексе?', ['Пикачу', 'Бульбазавр', 'Чармандер', 'Сквиртл']],
    [
      'Which Pokémon is number 1 in the Pokédex?',
      ['Pikachu', 'Bulbasaur', 'Charmander', 'Squirtle'],
    ],
    1,
  ),
  q(
    'witcher_name',
    ['Как зовут ведьмака из Ривии?', ['Лютик', 'Геральт', 'Эскель', 'Весемир']],
    ['What is the name of the witcher of Rivia?', ['Dandelion', 'Geralt', 'Eskel', 'Vesemir']],
    1,
  ),
  q(
    'stalker_zone',
    [
      'Вокруг какой станции разворачивается действие S.T.A.L.K.E.R.?',
      ['Чернобыльской АЭС', 'Курской АЭС', 'Фукусимы', 'Байконура'],
    ],
    [
      'Around which site is S.T.A.L.K.E.R. set?',
      ['Chernobyl NPP', 'Kursk NPP', 'Fukushima', 'Baikonur'],
    ],
    0,
  ),
  q(
    'gta_city',
    [
      'Какой вымышленный город — пародия на Лос-Анджелес в GTA V?',
      ['Либерти-Сити', 'Вайс-Сити', 'Лос-Сантос', 'Сан-Фиерро'],
    ],
    [
      'Which fictional city parodies Los Angeles in GTA V?',
      ['Liberty City', 'Vice City', 'Los Santos', 'San Fierro'],
    ],
    2,
  ),
  q(
    'steam_company',
    ['Какая компания создала Steam?', ['Valve', 'Epic Games', 'Blizzard', 'Ubisoft']],
    ['Which company created Steam?', ['Valve', 'Epic Games', 'Blizzard', 'Ubisoft']],
    0,
  ),
  q(
    'wow_factions',
    [
      'Какие две фракции противостоят в World of Warcraft?',
      ['Альянс и Орда', 'Свет и Тьма', 'Империя и Повстанцы', 'Север и Юг'],
    ],
    [
      'Which two factions oppose each other in World of Warcraft?',
      ['Alliance and Horde', 'Light and Dark', 'Empire and Rebels', 'North and South'],
    ],
    0,
  ),
  q(
    'portal_cake',
    ['Что обещают герою Portal в награду?', ['Медаль', 'Торт', 'Свободу', 'Пистолет']],
    ['What is the hero of Portal promised as a reward?', ['A medal', 'Cake', 'Freedom', 'A gun']],
    1,
  ),
  q(
    'chess_pieces',
    ['Сколько фигур у каждого игрока в начале шахматной партии?', ['12', '14', '16', '18']],
    ['How many pieces does each chess player start with?', ['12', '14', '16', '18']],
    2,
  ),
  q(
    'dice_sum',
    ['Сумма очков на противоположных гранях обычного кубика равна…', ['6', '7', '8', '12']],
    ['Opposite faces of a standard die always add up to…', ['6', '7', '8', '12']],
    1,
  ),
  q(
    'playstation_maker',
    ['Какая компания выпускает PlayStation?', ['Microsoft', 'Nintendo', 'Sony', 'Sega']],
    ['Which company makes the PlayStation?', ['Microsoft', 'Nintendo', 'Sony', 'Sega']],
    2,
  ),
  q(
    'xbox_maker',
    ['Какая компания выпускает Xbox?', ['Microsoft', 'Sony', 'Apple', 'Valve']],
    ['Which company makes the Xbox?', ['Microsoft', 'Sony', 'Apple', 'Valve']],
    0,
  ),
  q(
    'among_us_role',
    [
      'Как называется тайный вредитель в Among Us?',
      ['Шпион', 'Предатель (Impostor)', 'Мафия', 'Призрак'],
    ],
    ['What is the secret saboteur called in Among Us?', ['Spy', 'Impostor', 'Mafia', 'Ghost']],
    1,
  ),
  q(
    'fortnite_genre',
    [
      'К какому жанру относится Fortnite Battle Royale?',
      ['Гонки', 'Королевская битва', 'Стратегия', 'Квест'],
    ],
    [
      'Which genre is Fortnite Battle Royale?',
      ['Racing', 'Battle royale', 'Strategy', 'Adventure'],
    ],
    1,
  ),
  q(
    'lol_map',
    [
      'Как называется главная карта League of Legends?',
      ['Ущелье призывателей', 'Воющая бездна', 'Долина духов', 'Пик Древних'],
    ],
    [
      'What is the main map of League of Legends called?',
      ["Summoner's Rift", 'Howling Abyss', 'Spirit Valley', 'Ancient Peak'],
    ],
    0,
  ),
  q(
    'halflife_hero',
    [
      'Как зовут главного героя Half-Life?',
      ['Гордон Фримен', 'Мастер Чиф', 'Дюк Нюкем', 'Сэм Фишер'],
    ],
    [
      'Who is the protagonist of Half-Life?',
      ['Gordon Freeman', 'Master Chief', 'Duke Nukem', 'Sam Fisher'],
    ],
    0,
  ),
  q(
    'halo_hero',
    ['Кто главный герой серии Halo?', ['Кратос', 'Мастер Чиф', 'Солид Снейк', 'Маркус Феникс']],
    [
      'Who is the protagonist of the Halo series?',
      ['Kratos', 'Master Chief', 'Solid Snake', 'Marcus Fenix'],
    ],
    1,
  ),
  q(
    'god_of_war',
    ['Как зовут главного героя God of War?', ['Зевс', 'Кратос', 'Атрей', 'Арес']],
    ['Who is the protagonist of God of War?', ['Zeus', 'Kratos', 'Atreus', 'Ares']],
    1,
  ),
  q(
    'binary_ten',
    ['Как записывается число 10 в двоичной системе?', ['1010', '1100', '1001', '0110']],
    ['How is 10 written in binary?', ['1010', '1100', '1001', '0110']],
    0,
  ),
  q(
    'byte_bits',
    ['Сколько бит в одном байте?', ['4', '8', '16', '32']],
    ['How many bits are in a byte?', ['4', '8', '16', '32']],
    1,
  ),
  q(
    'fps_meaning',
    [
      'Что означает FPS в играх (не жанр)?',
      ['Кадров в секунду', 'Очков за выстрел', 'Быстрый старт', 'Файлов в секунду'],
    ],
    [
      'What does FPS mean in games (not the genre)?',
      ['Frames per second', 'Points per shot', 'Fast start', 'Files per second'],
    ],
    0,
  ),
  q(
    'planet_largest',
    ['Какая планета Солнечной системы самая большая?', ['Сатурн', 'Юпитер', 'Нептун', 'Земля']],
    ['Which planet of the Solar System is the largest?', ['Saturn', 'Jupiter', 'Neptune', 'Earth']],
    1,
  ),
  q(
    'water_boil',
    ['При какой температуре кипит вода на уровне моря?', ['90 °C', '100 °C', '110 °C', '120 °C']],
    ['At what temperature does water boil at sea level?', ['90 °C', '100 °C', '110 °C', '120 °C']],
    1,
  ),
  q(
    'light_speed',
    [
      'Примерно какова скорость света в вакууме?',
      ['300 км/с', '3 000 км/с', '300 000 км/с', '3 000 000 км/с'],
    ],
    [
      'Roughly how fast is light in a vacuum?',
      ['300 km/s', '3,000 km/s', '300,000 km/s', '3,000,000 km/s'],
    ],
    2,
  ),
  q(
    'gold_symbol',
    ['Какой химический символ у золота?', ['Ag', 'Au', 'Go', 'Gd']],
    ['What is the chemical symbol of gold?', ['Ag', 'Au', 'Go', 'Gd']],
    1,
  ),
  q(
    'moscow_river',
    ['На какой реке стоит Москва?', ['Волга', 'Москва-река', 'Нева', 'Ока']],
    ['Which river does Moscow stand on?', ['Volga', 'Moskva', 'Neva', 'Oka']],
    1,
  ),
  q(
    'continents',
    ['Сколько континентов на Земле (по общепринятому счёту)?', ['5', '6', '7', '8']],
    ['How many continents are there on Earth (usual count)?', ['5', '6', '7', '8']],
    2,
  ),
  q(
    'ocean_largest',
    ['Какой океан самый большой?', ['Атлантический', 'Индийский', 'Северный Ледовитый', 'Тихий']],
    ['Which ocean is the largest?', ['Atlantic', 'Indian', 'Arctic', 'Pacific']],
    3,
  ),
  q(
    'first_space',
    [
      'Кто первым полетел в космос?',
      ['Нил Армстронг', 'Юрий Гагарин', 'Алексей Леонов', 'Герман Титов'],
    ],
    [
      'Who was the first person in space?',
      ['Neil Armstrong', 'Yuri Gagarin', 'Alexei Leonov', 'Gherman Titov'],
    ],
    1,
  ),
  q(
    'hexagon_sides',
    ['Сколько сторон у шестиугольника?', ['5', '6', '7', '8']],
    ['How many sides does a hexagon have?', ['5', '6', '7', '8']],
    1,
  ),
  q(
    'minutes_day',
    ['Сколько минут в сутках?', ['1 240', '1 440', '1 640', '2 400']],
    ['How many minutes are in a day?', ['1,240', '1,440', '1,640', '2,400']],
    1,
  ),
  q(
    'telegram_founder',
    ['Кто основал Telegram?', ['Павел Дуров', 'Марк Цукерберг', 'Илон Маск', 'Джек Дорси']],
    ['Who founded Telegram?', ['Pavel Durov', 'Mark Zuckerberg', 'Elon Musk', 'Jack Dorsey']],
    0,
  ),
  q(
    'discord_nitro',
    [
      'Как называется платная подписка Discord?',
      ['Discord Gold', 'Nitro', 'Premium+', 'Boost Pass'],
    ],
    [
      "What is Discord's paid subscription called?",
      ['Discord Gold', 'Nitro', 'Premium+', 'Boost Pass'],
    ],
    1,
  ),
  q(
    'rubik_faces',
    ['Сколько граней у кубика Рубика?', ['4', '6', '8', '12']],
    ["How many faces does a Rubik's Cube have?", ['4', '6', '8', '12']],
    1,
  ),
  q(
    'elden_ring_studio',
    [
      'Какая студия создала Elden Ring?',
      ['FromSoftware', 'CD Projekt Red', 'Bethesda', 'Naughty Dog'],
    ],
    [
      'Which studio made Elden Ring?',
      ['FromSoftware', 'CD Projekt Red', 'Bethesda', 'Naughty Dog'],
    ],
    0,
  ),
  q(
    'cyberpunk_city',
    [
      'В каком городе происходит действие Cyberpunk 2077?',
      ['Найт-Сити', 'Нео-Токио', 'Рапчур', 'Сити 17'],
    ],
    ['Which city is Cyberpunk 2077 set in?', ['Night City', 'Neo-Tokyo', 'Rapture', 'City 17']],
    0,
  ),
  q(
    'tank_game',
    [
      'Какая игра белорусской студии Wargaming посвящена танковым боям?',
      ['War Thunder', 'World of Tanks', 'Battlefield', 'Armored Warfare'],
    ],
    [
      'Which game by the Belarusian studio Wargaming is about tank battles?',
      ['War Thunder', 'World of Tanks', 'Battlefield', 'Armored Warfare'],
    ],
    1,
  ),
];

export function quizQuestion(id: string): QuizQuestion | undefined {
  return QUIZ_BANK.find((question) => question.id === id);
}
