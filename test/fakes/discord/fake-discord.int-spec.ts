/**
 * Proves the fake Discord against the real discord.js client: if these pass, the app's
 * Discord adapter talks to the fake exactly as it would to Discord (no mocks on either side).
 */
import {
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  REST,
  Routes,
  type ClientEvents,
  type Guild,
} from 'discord.js';
import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Context, NecordModule, SlashCommand, type SlashCommandContext } from 'necord';
import { FakeDiscord, MEMBER_ROLE_BUCKET } from './index';

const intents = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMembers,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.GuildVoiceStates,
];

/** The next time `event` fires (optionally matching), typed by discord.js's event map. */
function nextEvent<K extends keyof ClientEvents>(
  client: Client,
  event: K,
  matches: (...args: ClientEvents[K]) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<ClientEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(event, listener);
      reject(new Error(`no ${String(event)} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (...args: ClientEvents[K]) => {
      if (!matches(...args)) return;
      clearTimeout(timer);
      client.off(event, listener);
      resolve(args);
    };
    client.on(event, listener);
  });
}

async function loggedInClient(fake: FakeDiscord, withIntents = intents): Promise<Client> {
  const client = new Client({ intents: withIntents, ...fake.clientOptions });
  const ready = nextEvent(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
  return client;
}

describe('FakeDiscord with the real discord.js client', () => {
  let fake: FakeDiscord;
  let client: Client;
  let guild: Guild;

  beforeAll(async () => {
    fake = await FakeDiscord.start({ heartbeatIntervalMs: 200 });
    // Alice sits in voice before the bot connects: GUILD_CREATE must carry her voice state.
    fake.voiceStateUpdate(fake.guild.users.alice.id, {
      channelId: fake.guild.channels.voiceA,
      selfMute: true,
    });
    client = await loggedInClient(fake);
    guild = client.guilds.cache.get(fake.guild.id)!;
  });

  afterAll(async () => {
    await client?.destroy();
    await fake?.stop();
  });

  it('logs in and sees the guild from GUILD_CREATE', () => {
    const { channels, users } = fake.guild;
    expect(client.user?.id).toBe(fake.bot.id);
    expect(client.application?.id).toBe(fake.applicationId);
    expect(guild).toBeDefined();
    expect(guild.memberCount).toBe(4);
    expect(guild.afkChannelId).toBe(channels.afk);
    expect(guild.channels.cache.get(channels.text)?.isTextBased()).toBe(true);
    expect(guild.channels.cache.get(channels.voiceB)?.isVoiceBased()).toBe(true);
    expect(guild.roles.cache.get(fake.guild.roles.rank1)?.name).toBe('Rank I');
    // Without GUILD_PRESENCES Discord sends only the bot and members in voice.
    expect(guild.members.cache.has(fake.bot.id)).toBe(true);
    expect(guild.members.cache.has(users.alice.id)).toBe(true);
    expect(guild.members.cache.has(users.bob.id)).toBe(false);
    const aliceVoice = guild.voiceStates.cache.get(users.alice.id);
    expect(aliceVoice?.channelId).toBe(channels.voiceA);
    expect(aliceVoice?.selfMute).toBe(true);
  });

  it('serves a set avatar from its CDN and puts the hash in user payloads', async () => {
    const { bob } = fake.guild.users;
    const hash = fake.setAvatar(bob.id, Buffer.from('bob picture'));
    const user = await client.users.fetch(bob.id, { force: true });
    expect(user.avatar).toBe(hash);
    const picture = await fetch(`${fake.cdnBase}/avatars/${bob.id}/${hash}.png?size=256`);
    expect(picture.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await picture.arrayBuffer()).toString()).toBe('bob picture');
    expect((await fetch(`${fake.cdnBase}/avatars/${bob.id}/nope.png`)).status).toBe(404);
    expect(fake.cdnRequests()).toEqual([
      `avatars/${bob.id}/${hash}.png`,
      `avatars/${bob.id}/nope.png`,
    ]);
  });

  it('answers heartbeats', async () => {
    await fake.waitFor(() => client.ws.ping >= 0, 3_000, 'a heartbeat ACK');
  });

  it('lists members over the gateway (op 8) and over REST pages sorted by id', async () => {
    const all = await guild.members.fetch();
    expect(all.size).toBe(4);

    const first = await guild.members.list({ limit: 3 });
    const rest = await guild.members.list({ limit: 3, after: [...first.keys()].at(-1) });
    const ids = [...first.keys(), ...rest.keys()];
    expect(ids).toHaveLength(4);
    expect([...ids].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))).toEqual(ids);
    expect(fake.calls('GET /guilds/:g/members')).toHaveLength(2);
  });

  it('delivers a message as messageCreate', async () => {
    const { users, channels } = fake.guild;
    const received = nextEvent(client, Events.MessageCreate);
    const sent = fake.sendMessage({
      channelId: channels.text,
      author: users.bob,
      content: 'gg wp',
    });
    const [message] = await received;
    expect(message.id).toBe(sent.id);
    expect(message.content).toBe('gg wp');
    expect(message.author.id).toBe(users.bob.id);
    expect(message.author.bot).toBe(false);
    expect(message.guildId).toBe(fake.guild.id);
    expect(message.member?.id).toBe(users.bob.id);
  });

  it('delivers voice state updates and keeps them for the next GUILD_CREATE', async () => {
    const { users, channels } = fake.guild;
    const received = nextEvent(client, Events.VoiceStateUpdate);
    fake.voiceStateUpdate(users.bob.id, { channelId: channels.voiceB, selfDeaf: true });
    const [before, after] = await received;
    expect(before.channelId).toBeNull();
    expect(after.channelId).toBe(channels.voiceB);
    expect(after.selfDeaf).toBe(true);
    expect(fake.voiceChannelOf(fake.guild.id, users.bob.id)).toBe(channels.voiceB);

    const left = nextEvent(client, Events.VoiceStateUpdate);
    fake.voiceStateUpdate(users.bob.id, { channelId: null });
    const [, gone] = await left;
    expect(gone.channelId).toBeNull();
  });

  it('applies addRole / removeRole as single-role PUT / DELETE', async () => {
    const { users, roles } = fake.guild;
    const updated = nextEvent(client, Events.GuildMemberUpdate, (_old, member) =>
      member.roles.cache.has(roles.rank1),
    );
    await guild.members.addRole({ user: users.alice.id, role: roles.rank1 });
    expect(fake.memberRoles(fake.guild.id, users.alice.id)).toEqual([roles.rank1]);
    await updated; // Discord echoes the change as GUILD_MEMBER_UPDATE

    await guild.members.removeRole({ user: users.alice.id, role: roles.rank1 });
    expect(fake.memberRoles(fake.guild.id, users.alice.id)).toEqual([]);
    expect(
      fake.roleCalls().map(({ method, userId, roleId }) => ({ method, userId, roleId })),
    ).toEqual([
      { method: 'PUT', userId: users.alice.id, roleId: roles.rank1 },
      { method: 'DELETE', userId: users.alice.id, roleId: roles.rank1 },
    ]);
  });

  it('refuses roles at or above the bot and unknown roles like Discord', async () => {
    const { users, roles } = fake.guild;
    await expect(
      guild.members.addRole({ user: users.bob.id, role: roles.bot }),
    ).rejects.toMatchObject({ code: 50013 });
    await expect(
      guild.members.addRole({ user: users.bob.id, role: fake.ids.next() }),
    ).rejects.toMatchObject({
      code: 10011,
    });
  });

  it('makes discord.js wait out an injected 429 before the role lands', async () => {
    const { users, roles } = fake.guild;
    fake.failNext('PUT /guilds/:guildId/members/:userId/roles/:roleId', {
      status: 429,
      retryAfterSeconds: 1,
    });
    const started = Date.now();
    await guild.members.addRole({ user: users.bob.id, role: roles.rank2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.memberRoles(fake.guild.id, users.bob.id)).toEqual([roles.rank2]);
    const attempts = fake
      .roleCalls({ includeFailed: true })
      .filter((c) => c.roleId === roles.rank2);
    expect(attempts.map((c) => c.status)).toEqual([429, 204]);
    expect(fake.calls('PUT /guilds/*/members/*/roles/*').at(-2)?.injected).toBe(true);
  });

  it('lets discord.js retry injected 500s', async () => {
    const { users, roles } = fake.guild;
    fake.failNext({ method: 'PUT', path: '/guilds/:g/members/:u/roles/:r' }, { status: 500 }, 2);
    await guild.members.addRole({ user: users.bob.id, role: roles.rank3 });
    expect(fake.memberRoles(fake.guild.id, users.bob.id)).toEqual([roles.rank2, roles.rank3]);
    expect(fake.pendingFailures()).toBe(0);
  });

  it('answers a slash command reply', async () => {
    const { users } = fake.guild;
    await client.application!.commands.set(
      [{ name: 'profile', description: 'Show your profile' }],
      fake.guild.id,
    );
    expect(fake.commands(fake.guild.id).map((c) => c.name)).toEqual(['profile']);

    const received = nextEvent(client, Events.InteractionCreate);
    const handle = fake.interaction({
      kind: 'command',
      name: 'profile',
      userId: users.alice.id,
      locale: 'ru',
    });
    const [interaction] = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
    expect(interaction.commandName).toBe('profile');
    expect(interaction.locale).toBe('ru');
    expect(interaction.member?.user.id).toBe(users.alice.id);
    expect(interaction.memberPermissions?.has('ViewChannel')).toBe(true);
    await interaction.reply({ content: 'Level 1, 0 XP', flags: MessageFlags.Ephemeral });

    const response = await handle.waitForResponse();
    expect(response.content).toBe('Level 1, 0 XP');
    expect(fake.interactionReplies(handle.id)[0]).toMatchObject({
      kind: 'callback',
      callbackType: 4,
    });
    // Ephemeral answers never appear in the channel.
    expect(fake.channelMessages(fake.guild.channels.text).some((m) => m.id === response.id)).toBe(
      false,
    );
  });

  it('supports deferReply + editReply, and refuses a second callback', async () => {
    const received = nextEvent(client, Events.InteractionCreate);
    const handle = fake.interaction({
      kind: 'command',
      name: 'profile',
      userId: fake.guild.users.bob.id,
      options: [],
    });
    const [interaction] = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
    await interaction.deferReply();
    expect(handle.original()?.flags).toBe(MessageFlags.Loading);
    await interaction.editReply('Done');

    const response = await handle.waitForResponse();
    expect(response.content).toBe('Done');
    expect(handle.replies().map((r) => r.kind)).toEqual(['callback', 'edit']);
    expect(fake.channelMessages(fake.guild.channels.text).at(-1)?.content).toBe('Done');

    const raw = await fetch(
      `${fake.apiBase}/v10/interactions/${handle.id}/${handle.token}/callback`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 4, data: { content: 'again' } }),
      },
    );
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ code: 40060 });
  });

  it('answers interaction callbacks and webhook edits with a storm of 10062, 500 and hangs', async () => {
    const { users } = fake.guild;
    const received = nextEvent(client, Events.InteractionCreate);
    const handle = fake.interaction({ kind: 'command', name: 'profile', userId: users.alice.id });
    const [interaction] = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
    fake.beginInteractionStorm({ unknownInteraction: 1, serverError: 1, hang: 1 });

    // 1st: 10062, as discord.js reports it to a command handler.
    await expect(interaction.deferReply()).rejects.toMatchObject({ code: 10062, status: 404 });
    // 2nd: an edit of the interaction's message gets a 500.
    const edit = await fetch(
      `${fake.apiBase}/v10/webhooks/${fake.applicationId}/${handle.token}/messages/@original`,
      {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ content: 'x' }),
      },
    );
    expect(edit.status).toBe(500);
    // Other routes are not in the storm.
    expect((await guild.members.fetch({ user: users.bob.id, force: true })).id).toBe(users.bob.id);
    // 3rd: the callback hangs until the storm ends, then its connection drops.
    const callback = () =>
      fetch(`${fake.apiBase}/v10/interactions/${handle.id}/${handle.token}/callback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 5 }),
      });
    const hung = callback().then(
      () => 'answered',
      () => 'dropped',
    );
    await fake.waitFor(() =>
      fake.calls('POST /interactions/:i/:t/callback').some((c) => c.status === 0),
    );
    fake.endInteractionStorm();
    expect(await hung).toBe('dropped');
    expect(fake.interactionStormHits()).toEqual({ unknownInteraction: 1, serverError: 1, hang: 1 });

    // Calm again: the same callback reaches the fake (still within the 3 s deadline).
    expect((await callback()).status).toBe(204);
    expect(handle.callbackType).toBe(5);
  });

  it('handles a button press answered with update()', async () => {
    const received = nextEvent(client, Events.InteractionCreate);
    const handle = fake.interaction({
      kind: 'button',
      customId: 'spin',
      userId: fake.guild.users.alice.id,
    });
    const [interaction] = await received;
    if (!interaction.isButton()) throw new Error('expected a button');
    expect(interaction.customId).toBe('spin');
    await interaction.update({ content: 'Spinning...', components: [] });
    const reply = await fake.waitForInteractionReply(handle.id);
    expect(reply).toMatchObject({ kind: 'callback', callbackType: 7 });
    expect(reply.message?.content).toBe('Spinning...');
  });

  it('sends DMs and refuses users who closed them', async () => {
    const { alice, bob } = fake.guild.users;
    await client.users.send(alice.id, 'You reached Rank II');
    expect(fake.dms(alice.id).map((m) => m.content)).toEqual(['You reached Rank II']);

    fake.closeDms(bob.id);
    await expect(client.users.send(bob.id, 'hi')).rejects.toMatchObject({ code: 50007 });
  });

  it('returns the first message for an enforced nonce sent again, and creates a new one without', async () => {
    const { alice } = fake.guild.users;
    const dm = await client.users.createDM(alice.id);
    const before = fake.dms(alice.id).length;
    const send = (enforce: boolean) =>
      client.rest.post(Routes.channelMessages(dm.id), {
        body: { content: 'once', nonce: 'n42', enforce_nonce: enforce },
      }) as Promise<{ id: string }>;
    const first = await send(true);
    expect((await send(true)).id).toBe(first.id);
    expect(
      fake
        .dms(alice.id)
        .slice(before)
        .map((m) => m.id),
    ).toEqual([first.id]);
    expect((await send(false)).id).not.toBe(first.id); // a nonce alone is only echoed
    expect(fake.messagesPerNonce().at(-1)).toBe(2);
  });

  it('creates a message and never answers when told its answer is lost', async () => {
    const { alice } = fake.guild.users;
    const dm = await client.users.createDM(alice.id);
    const before = fake.dms(alice.id).length;
    fake.failNext(
      'POST /channels/:channelId/messages',
      { status: 500, afterApplying: true, noAnswer: true },
      1,
    );
    const rest = new REST({ api: fake.apiBase, timeout: 300, retries: 0 }).setToken(fake.token);
    await expect(
      rest.post(Routes.channelMessages(dm.id), {
        body: { content: 'lost', nonce: 'n43', enforce_nonce: true },
      }),
    ).rejects.toThrow(/abort/i);
    expect(
      fake
        .dms(alice.id)
        .slice(before)
        .map((m) => m.content),
    ).toEqual(['lost']);
    // The sender's retry with the same nonce gets the message Discord created.
    const again = (await rest.post(Routes.channelMessages(dm.id), {
      body: { content: 'lost', nonce: 'n43', enforce_nonce: true },
    })) as { content: string };
    expect(again.content).toBe('lost');
    expect(fake.dms(alice.id).slice(before)).toHaveLength(1);
  });

  it('posts channel messages and speaks HTTP like Discord (auth, 204 without content-type)', async () => {
    const channel = guild.channels.cache.get(fake.guild.channels.text);
    if (!channel?.isSendable()) throw new Error('expected a text channel');
    const posted = await channel.send('Rank up!');
    expect(fake.channelMessages(channel.id).at(-1)?.id).toBe(posted.id);

    const anonymous = await fetch(`${fake.apiBase}/v10/users/@me`);
    expect(anonymous.status).toBe(401);

    const { users, roles } = fake.guild;
    const url = `${fake.apiBase}/v10/guilds/${fake.guild.id}/members/${users.alice.id}/roles/${roles.achievement}`;
    const put = await fetch(url, {
      method: 'PUT',
      headers: { authorization: `Bot ${fake.token}` },
    });
    expect(put.status).toBe(204);
    expect(put.headers.get('content-type')).toBeNull();
    expect(put.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]+$/);
    expect(Number(put.headers.get('x-ratelimit-remaining'))).toBeGreaterThanOrEqual(0);
  });

  it('gives DiscordAPIError 10007 for a member who left', async () => {
    const { bob } = fake.guild.users;
    const gone = nextEvent(client, Events.GuildMemberRemove);
    fake.memberLeave(bob.id);
    await gone;

    const fetching = guild.members.fetch({ user: bob.id, force: true });
    await expect(fetching).rejects.toBeInstanceOf(DiscordAPIError);
    await expect(fetching).rejects.toMatchObject({ code: 10007, status: 404 });
    await expect(
      guild.members.addRole({ user: bob.id, role: fake.guild.roles.rank1 }),
    ).rejects.toMatchObject({
      code: 10007,
    });
  });

  it('sees members join', async () => {
    const carol = fake.createUser('carol');
    const joined = nextEvent(client, Events.GuildMemberAdd);
    fake.memberJoin(carol);
    const [member] = await joined;
    expect(member.id).toBe(carol.id);
    expect(guild.memberCount).toBe(4);
  });

  it('resumes after a dropped connection and replays what was missed', async () => {
    const { alice } = fake.guild.users;
    const resumed = nextEvent(client, Events.ShardResume);
    fake.disconnectAll();
    // Sent while the bot is away: Discord keeps it for the session and replays it on RESUME.
    const sent = fake.sendMessage({
      channelId: fake.guild.channels.text,
      author: alice,
      content: 'while you were away',
    });
    const received = nextEvent(client, Events.MessageCreate, (m) => m.id === sent.id);
    await resumed;
    await received;
    expect(fake.connectedSessions()).toBe(1);
  });

  it('re-identifies after an invalid session and gets fresh voice states', async () => {
    const { alice } = fake.guild.users;
    const ready = nextEvent(client, Events.ShardReady);
    fake.invalidateSessions();
    fake.voiceStateUpdate(alice.id, { channelId: fake.guild.channels.voiceB });
    await ready;
    await fake.waitFor(
      () =>
        client.guilds.cache.get(fake.guild.id)?.voiceStates.cache.get(alice.id)?.channelId ===
        fake.guild.channels.voiceB,
      5_000,
      'the new GUILD_CREATE',
    );
  });

  it('serves two clients at once with their own sessions, each with its intents', async () => {
    // The second one lacks MESSAGE_CONTENT: like on Discord it sees other people's messages empty.
    const withoutContent = intents.filter((i) => i !== GatewayIntentBits.MessageContent);
    const second = await loggedInClient(fake, withoutContent);
    try {
      expect(fake.connectedSessions()).toBe(2);
      const first = nextEvent(client, Events.MessageCreate);
      const other = nextEvent(second, Events.MessageCreate);
      fake.sendMessage({
        channelId: fake.guild.channels.text,
        author: fake.guild.users.owner,
        content: 'both',
      });
      const [[a], [b]] = await Promise.all([first, other]);
      expect(a.content).toBe('both');
      expect(b.id).toBe(a.id);
      expect(b.content).toBe('');
    } finally {
      await second.destroy();
    }
    await fake.waitFor(() => fake.connectedSessions() === 1, 3_000, 'the second session to end');
  });

  it('never saw a member PATCH or a protocol problem', () => {
    expect(fake.roleCalls({ includeFailed: true }).filter((c) => c.method === 'PATCH')).toEqual([]);
    expect(fake.problems()).toEqual([]);
  });
});

describe('FakeDiscord gateway rules', () => {
  it('closes with 4014 when the app asks for a privileged intent it was not granted', async () => {
    const fake = await FakeDiscord.start({ privilegedIntents: { messageContent: false } });
    const client = new Client({ intents, ...fake.clientOptions });
    try {
      const disconnected = nextEvent(client, Events.ShardDisconnect);
      // login never settles on an unrecoverable close; the disconnect event is the signal.
      void client.login(fake.token).catch(() => undefined);
      const [event] = await disconnected;
      expect(event.code).toBe(4014);
      expect(fake.problems()).toEqual([expect.stringContaining('4014')]);
    } finally {
      await client.destroy();
      await fake.stop();
    }
  });
});

@Injectable()
class PingCommand {
  @SlashCommand({ name: 'ping', description: 'Answers pong' })
  async onPing(@Context() [interaction]: SlashCommandContext) {
    await interaction.deferReply();
    return interaction.editReply('pong');
  }
}

describe('FakeDiscord with necord', () => {
  it('registers the guild commands and answers a slash command', async () => {
    const fake = await FakeDiscord.start();
    const moduleRef = await Test.createTestingModule({
      imports: [
        NecordModule.forRoot({
          token: fake.token,
          intents,
          development: [fake.guild.id],
          ...fake.clientOptions,
        }),
      ],
      providers: [PingCommand],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    try {
      await app.init();
      await fake.waitFor(
        () => fake.commands(fake.guild.id).length > 0,
        5_000,
        'command registration',
      );
      expect(fake.calls('PUT /applications/:app/guilds/:guild/commands')).toHaveLength(1);

      const handle = fake.interaction({
        kind: 'command',
        name: 'ping',
        userId: fake.guild.users.bob.id,
      });
      const response = await handle.waitForResponse();
      expect(response.content).toBe('pong');
      expect(handle.replies().map((r) => r.callbackType ?? r.kind)).toEqual([5, 'edit']);
    } finally {
      await app.close();
      await fake.stop();
    }
  });
});

describe('FakeDiscord member calls in flight', () => {
  let fake: FakeDiscord;

  afterEach(async () => {
    await fake?.stop();
  });

  it('counts a call about a member that arrives while another for the same member is held', async () => {
    fake = await FakeDiscord.start({ memberCallLatencyMs: 50 });
    const { users, roles } = fake.guild;
    const call = (method: string, path: string) =>
      fetch(`${fake.apiBase}/v10/guilds/${fake.guild.id}${path}`, {
        method,
        headers: { authorization: `Bot ${fake.token}` },
      });
    // Alice: a read and a role change at once. Bob: two calls one after the other.
    await Promise.all([
      call('GET', `/members/${users.alice.id}`),
      call('PUT', `/members/${users.alice.id}/roles/${roles.rank1}`),
    ]);
    await call('GET', `/members/${users.bob.id}`);
    await call('PUT', `/members/${users.bob.id}/roles/${roles.rank1}`);
    // Other routes are about no member.
    await call('GET', '/roles');

    const byUser = new Map(fake.memberCallCounts().map((count) => [count.userId, count]));
    expect(byUser.get(users.alice.id)).toEqual({ userId: users.alice.id, calls: 2, overlaps: 1 });
    expect(byUser.get(users.bob.id)).toEqual({ userId: users.bob.id, calls: 2, overlaps: 0 });
    expect(byUser.size).toBe(2);
  });
});

describe('FakeDiscord rate limits', () => {
  let fake: FakeDiscord;

  afterEach(async () => {
    await fake?.stop();
  });

  const call = (method: string, path: string) =>
    fetch(`${fake.apiBase}/v10${path}`, {
      method,
      headers: { authorization: `Bot ${fake.token}` },
    });

  it("enforces a global limit per bot token with Discord's 429 headers, interaction callbacks exempt", async () => {
    fake = await FakeDiscord.start({ globalRateLimit: { limit: 3, windowMs: 60_000 } });
    const { users } = fake.guild;
    // Three different routes: the global limit counts them all together.
    expect((await call('GET', '/users/@me')).status).toBe(200);
    expect((await call('GET', `/guilds/${fake.guild.id}/members/${users.alice.id}`)).status).toBe(
      200,
    );
    expect((await call('GET', `/guilds/${fake.guild.id}/members/${users.bob.id}`)).status).toBe(
      200,
    );
    const refused = await call('GET', '/gateway/bot');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-ratelimit-global')).toBe('true');
    expect(refused.headers.get('x-ratelimit-scope')).toBe('global');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ global: true, retry_after: expect.any(Number) });

    const handle = fake.interaction({
      kind: 'command',
      name: 'profile',
      userId: users.alice.id,
      allowUnregistered: true,
    });
    const callback = await fetch(
      `${fake.apiBase}/v10/interactions/${handle.id}/${handle.token}/callback`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 4, data: { content: 'still answered' } }),
      },
    );
    expect(callback.status).toBe(204);
    expect(fake.rateLimitedCounts()).toEqual({ global: 1, user: 0 });

    fake.setGlobalRateLimit(false);
    expect((await call('GET', '/gateway/bot')).status).toBe(200);
  });

  it('lets PUT and DELETE of member roles share one bucket per guild when the member-role bucket is on', async () => {
    fake = await FakeDiscord.start({ memberRoleBucket: { limit: 3 } });
    const { users, roles } = fake.guild;
    const rolePath = (user: string, role: string) =>
      `/guilds/${fake.guild.id}/members/${user}/roles/${role}`;
    const put = await call('PUT', rolePath(users.alice.id, roles.achievement));
    expect(put.status).toBe(204);
    expect(put.headers.get('x-ratelimit-limit')).toBe('3');
    expect(Number(put.headers.get('x-ratelimit-reset-after'))).toBeGreaterThan(
      MEMBER_ROLE_BUCKET.windowMs / 1000 - 1,
    );
    const del = await call('DELETE', rolePath(users.alice.id, roles.achievement));
    expect(del.status).toBe(204);
    expect(del.headers.get('x-ratelimit-bucket')).toBe(put.headers.get('x-ratelimit-bucket'));
    expect(del.headers.get('x-ratelimit-remaining')).toBe('1');
    expect((await call('PUT', rolePath(users.bob.id, roles.rank1))).status).toBe(204);

    const refused = await call('PUT', rolePath(users.bob.id, roles.rank2));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-ratelimit-scope')).toBe('user');
    expect(refused.headers.get('x-ratelimit-global')).toBeNull();
    expect(fake.rateLimitedCounts()).toEqual({ global: 0, user: 1 });
    // Other routes of the guild keep their own buckets.
    expect((await call('GET', `/guilds/${fake.guild.id}/members/${users.bob.id}`)).status).toBe(
      200,
    );

    fake.setMemberRoleBucket(false);
    expect((await call('PUT', rolePath(users.bob.id, roles.rank2))).status).toBe(204);
  });

  it('makes two discord.js clients sharing a token over 50/s meet global 429s, which they wait out', async () => {
    fake = await FakeDiscord.start();
    const clients = [1, 2].map(() => new REST({ api: fake.apiBase }).setToken(fake.token));
    const { users } = fake.guild;
    // Each client keeps its own 50/s, so together they send up to 100/s: one process cannot
    // know what the other spends, which is what a shared limiter is for.
    await Promise.all(
      clients.flatMap((rest) =>
        Array.from({ length: 60 }, (_, i) =>
          rest.get(Routes.guildMember(fake.guild.id, i % 2 ? users.alice.id : users.bob.id)),
        ),
      ),
    );
    expect(fake.rateLimitedCounts().global).toBeGreaterThan(0);
    const answered = fake.calls().filter((c) => c.status === 200);
    expect(answered).toHaveLength(120);
  });
});
