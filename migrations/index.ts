import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { RetiredRoleIds1764100000000 } from './1764100000000-retired-role-ids';
import { SyncEventCorrelation1764200000000 } from './1764200000000-sync-event-correlation';
import { SeasonLock1764300000000 } from './1764300000000-season-lock';
import { VoiceSessionOwner1764300000001 } from './1764300000001-voice-session-owner';
import { LedgerRequestFingerprint1764400000001 } from './1764400000001-ledger-request-fingerprint';
import { LedgerMetadataPlayerSettings1764450000000 } from './1764450000000-ledger-metadata-player-settings';
import { SyncEventFailure1764460000000 } from './1764460000000-sync-event-failure';
import { AwardStatement1764500000000 } from './1764500000000-award-statement';
import { ReadModelCounters1764520000000 } from './1764520000000-read-model-counters';
import { ImportRuns1764530000000 } from './1764530000000-import-runs';
import { XpRules1764540000000 } from './1764540000000-xp-rules';
import { LedgerAccountSumsIndex1764550000001 } from './1764550000001-ledger-account-sums-index';
import { DiscordBudget1764600000000 } from './1764600000000-discord-budget';
import { RoleMappingsVersion1764700000000 } from './1764700000000-role-mappings-version';
import { SyncLanesMemberLeases1764700000100 } from './1764700000100-sync-lanes-member-leases';
import { NotificationRows1764700000101 } from './1764700000101-notification-rows';
import { SeasonParticipantCounts1764700000200 } from './1764700000200-season-participant-counts';
import { SeasonXpBuckets1764800000000 } from './1764800000000-season-xp-buckets';
import { OverviewCounters1764900000000 } from './1764900000000-overview-counters';
import { DropSyncEventsCreatedIndex1765000000000 } from './1765000000000-drop-sync-events-created-index';
import { SyncMemberLeasesHolderIndex1765000000100 } from './1765000000100-sync-member-leases-holder-index';
import { SyncEventCountersOneTrigger1765100000000 } from './1765100000000-sync-event-counters-one-trigger';

/** Every migration, in order. Add new ones at the end; never edit a landed one. */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  RetiredRoleIds1764100000000,
  SyncEventCorrelation1764200000000,
  SeasonLock1764300000000,
  VoiceSessionOwner1764300000001,
  LedgerRequestFingerprint1764400000001,
  LedgerMetadataPlayerSettings1764450000000,
  SyncEventFailure1764460000000,
  AwardStatement1764500000000,
  ReadModelCounters1764520000000,
  ImportRuns1764530000000,
  XpRules1764540000000,
  LedgerAccountSumsIndex1764550000001,
  DiscordBudget1764600000000,
  RoleMappingsVersion1764700000000,
  SyncLanesMemberLeases1764700000100,
  NotificationRows1764700000101,
  SeasonParticipantCounts1764700000200,
  SeasonXpBuckets1764800000000,
  OverviewCounters1764900000000,
  DropSyncEventsCreatedIndex1765000000000,
  SyncMemberLeasesHolderIndex1765000000100,
  SyncEventCountersOneTrigger1765100000000,
];
