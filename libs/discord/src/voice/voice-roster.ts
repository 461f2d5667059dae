import { Injectable } from '@nestjs/common';
import { Guild, VoiceState } from 'discord.js';
import { earningUserIds, VoiceMember } from './voice-rules';

/**
 * Who is in which voice channel, as the gateway tells us (GUILD_CREATE, then voice state
 * updates), the guild's AFK channel, and whether we can see at all: while the gateway
 * connection is down nobody earns, because we cannot see who leaves.
 */
@Injectable()
export class VoiceRoster {
  private readonly members = new Map<string, VoiceMember>();
  private afkChannelId: string | null = null;
  private blind = false;

  /**
   * Takes the guild's voice states as the truth (ready, re-identify): returns who is no longer
   * in voice and the states of those who are. Seeing them, we are no longer blind.
   */
  sync(guild: Guild): { left: string[]; inVoice: VoiceState[] } {
    this.afkChannelId = guild.afkChannelId;
    const inVoice = new Map<string, VoiceState>();
    for (const state of guild.voiceStates.cache.values()) {
      if (state.channelId !== null) inVoice.set(state.id, state);
    }
    const left = [...this.members.keys()].filter((userId) => !inVoice.has(userId));
    for (const userId of left) this.members.delete(userId);
    for (const state of inVoice.values()) this.members.set(state.id, toVoiceMember(state));
    this.blind = false;
    return { left, inVoice: [...inVoice.values()] };
  }

  clear(): void {
    this.members.clear();
  }

  /** One member's new voice state: true when they are in a voice channel, false when they left. */
  update(state: VoiceState): boolean {
    if (state.channelId === null) {
      this.members.delete(state.id);
      return false;
    }
    this.members.set(state.id, toVoiceMember(state));
    return true;
  }

  /** A moderator may change the AFK channel: true when this state carries a new one. */
  afkChanged(afkChannelId: string | null): boolean {
    if (afkChannelId === this.afkChannelId) return false;
    this.afkChannelId = afkChannelId;
    return true;
  }

  /** The connection dropped (true) or resumed (false); answers whether that changed anything. */
  setBlind(blind: boolean): boolean {
    if (this.blind === blind) return false;
    this.blind = blind;
    return true;
  }

  /** Who earns right now (voice-rules): nobody while blind. */
  earning(): Set<string> {
    return this.blind ? new Set() : earningUserIds(this.members.values(), this.afkChannelId);
  }

  roleIds(userId: string): readonly string[] {
    return this.members.get(userId)?.roleIds ?? [];
  }
}

function toVoiceMember(state: VoiceState): VoiceMember {
  return {
    userId: state.id,
    channelId: state.channelId,
    bot: state.member?.user.bot ?? false,
    selfDeaf: state.selfDeaf ?? false,
    serverDeaf: state.serverDeaf ?? false,
    roleIds: state.member ? [...state.member.roles.cache.keys()] : [],
  };
}
