import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { RetiredRoleIds1764100000000 } from './1764100000000-retired-role-ids';
import { SyncEventCorrelation1764200000000 } from './1764200000000-sync-event-correlation';
import { LedgerRequestFingerprint1764400000001 } from './1764400000001-ledger-request-fingerprint';

/** Every migration, in order. Add new ones at the end; never edit a landed one. */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  RetiredRoleIds1764100000000,
  SyncEventCorrelation1764200000000,
  LedgerRequestFingerprint1764400000001,
];
