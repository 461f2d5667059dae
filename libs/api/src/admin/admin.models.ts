import { Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsIn, IsInt, IsOptional, MaxLength, MinLength, NotEquals } from 'class-validator';
import GraphQLJSON from './json.scalar';
import { IsSnowflake } from './roles/snowflake';
import { SafeIntScalar } from '../public/models/safe-int.scalar';

@ObjectType('Count')
export class CountModel {
  @Field() key: string;
  @Field(() => Int) count: number;
}

@ObjectType('TypeStatusCount')
export class TypeStatusCountModel {
  @Field() type: string;
  @Field() status: string;
  @Field(() => Int) count: number;
}

@ObjectType('SyncLag')
export class SyncLagModel {
  @Field(() => Int, { nullable: true }) p50: number | null;
  @Field(() => Int, { nullable: true }) p95: number | null;
  @Field(() => Int, { nullable: true }) max: number | null;
}

@ObjectType('SyncStats')
export class SyncStatsModel {
  @Field(() => Int) windowMinutes: number;
  @Field(() => [CountModel]) byStatus: CountModel[];
  @Field(() => [TypeStatusCountModel]) byType: TypeStatusCountModel[];
  @Field(() => Float) throughputPerMinute: number;
  @Field(() => SyncLagModel, { description: 'created -> completed, ms, over the window' })
  lagMs: SyncLagModel;
  @Field(() => Float, { nullable: true }) oldestPendingAgeMs: number | null;
}

@ObjectType('SyncFailure', { description: 'What the platform refused on the last failed attempt' })
export class SyncFailureModel {
  @Field() message: string;
  @Field(() => Int, { nullable: true }) httpStatus: number | null;
  @Field(() => Int, {
    nullable: true,
    description: "Discord's JSON error code (50013: missing permissions)",
  })
  discordCode: number | null;
  @Field(() => String, { nullable: true }) roleId: string | null;
  @Field(() => String, { nullable: true }) memberId: string | null;
}

@ObjectType('SyncEvent')
export class SyncEventModel {
  @Field(() => ID) id: string;
  @Field() type: string;
  @Field() source: string;
  @Field(() => ID, { nullable: true }) accountId: string | null;
  @Field() status: string;
  @Field(() => Int) attempts: number;
  @Field(() => Int) maxAttempts: number;
  @Field(() => String, { nullable: true }) lastError: string | null;
  @Field(() => SyncFailureModel, { nullable: true }) failure: SyncFailureModel | null;
  @Field(() => String, {
    nullable: true,
    description: 'Of the request, update or Discord event that caused it (in every log line)',
  })
  correlationId: string | null;
  @Field(() => GraphQLJSON) payload: Record<string, unknown>;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
  @Field() nextAttemptAt: Date;
  @Field(() => Date, { nullable: true }) completedAt: Date | null;
}

@ObjectType('SyncEventPage')
export class SyncEventPageModel {
  @Field(() => [SyncEventModel]) events: SyncEventModel[];
  @Field(() => String, { nullable: true }) endCursor: string | null;
  @Field() hasNextPage: boolean;
}

@InputType('SyncEventFilter')
export class SyncEventFilterInput {
  @Field({ nullable: true }) status?: string;
  @Field({ nullable: true }) type?: string;
  @Field(() => ID, { nullable: true }) accountId?: string;
}

@ObjectType('ReconcileReport')
export class ReconcileReportModel {
  @Field(() => ID) id: string;
  @Field() jobId: string;
  @Field() trigger: string;
  @Field({
    description:
      'full: every account, season score and counter; incremental: accounts changed since the last pass plus a rolling slice',
  })
  mode: string;
  @Field() status: string;
  @Field(() => GraphQLJSON) checked: Record<string, number>;
  @Field(() => GraphQLJSON) drifted: Record<string, number>;
  @Field(() => GraphQLJSON) fixed: Record<string, number>;
  @Field(() => GraphQLJSON) alerts: unknown;
  @Field(() => String, { nullable: true }) error: string | null;
  @Field() startedAt: Date;
  @Field(() => Date, { nullable: true }) finishedAt: Date | null;
}

@ObjectType('RoleMapping')
export class RoleMappingModel {
  @Field({ description: 'Rank id or achievement code' }) key: string;
  @Field(() => String, { nullable: true }) discordRoleId: string | null;
  @Field(() => Date, { nullable: true }) updatedAt: Date | null;
}

@ObjectType('RoleMappingChange')
export class RoleMappingChangeModel {
  @Field(() => [RoleMappingModel]) mappings: RoleMappingModel[];
  @Field(() => Int, { description: 'Members asked to re-sync' }) resynced: number;
  @Field(() => [String], { description: 'Saved, but e.g. Discord could not check the role ids' })
  warnings: string[];
}

@ObjectType('LedgerEntry')
export class LedgerEntryModel {
  @Field(() => ID) id: string;
  @Field(() => SafeIntScalar) xpDelta: number;
  @Field(() => SafeIntScalar) coinsDelta: number;
  @Field() reason: string;
  @Field() source: string;
  @Field(() => String, { nullable: true }) entityId: string | null;
  @Field() idempotencyKey: string;
  @Field() createdAt: Date;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'Why the amount is what it is: the XP rule, multipliers and event that applied',
  })
  metadata: Record<string, unknown> | null;
}

@ObjectType('LedgerPage')
export class LedgerPageModel {
  @Field(() => [LedgerEntryModel]) entries: LedgerEntryModel[];
  @Field(() => String, { nullable: true }) endCursor: string | null;
  @Field() hasNextPage: boolean;
}

@ObjectType('AccountRoles')
export class AccountRolesModel {
  @Field(() => [String]) wanted: string[];
  @Field(() => [String], { nullable: true }) applied: string[] | null;
  @Field(() => [String]) missing: string[];
  @Field(() => [String]) extra: string[];
}

@ObjectType('AdminAccount')
export class AdminAccountModel {
  @Field(() => ID) id: string;
  @Field(() => SafeIntScalar) xp: number;
  @Field(() => SafeIntScalar) coins: number;
  @Field(() => Int) rankId: number;
  @Field(() => ID, { nullable: true }) mergedInto: string | null;
  @Field() createdAt: Date;
}

@ObjectType('Adjustment')
export class AdjustmentModel {
  @Field(() => ID) entryId: string;
  @Field({ description: 'True when the key was used before: nothing changed' }) duplicate: boolean;
  @Field(() => ID) accountId: string;
  @Field(() => SafeIntScalar) xp: number;
  @Field(() => SafeIntScalar) coins: number;
  @Field(() => Int) rankId: number;
}

@InputType('AdjustmentInput')
export class AdjustmentInput {
  @Field() @IsIn(['xp', 'coins']) currency: 'xp' | 'coins';
  @Field(() => SafeIntScalar) @IsInt() @NotEquals(0) delta: number;
  @Field() @MinLength(1) @MaxLength(200) reason: string;
}

@ObjectType('QueueCounts')
export class QueueCountsModel {
  @Field() queue: string;
  @Field(() => Int) waiting: number;
  @Field(() => Int) active: number;
  @Field(() => Int) delayed: number;
  @Field(() => Int) failed: number;
}

@InputType('RoleIdInput')
export class RoleIdInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsSnowflake({
    message: 'discordRoleId must be a Discord snowflake (a 64-bit id of 17-20 digits)',
  })
  discordRoleId: string | null;
}

@ObjectType('GuildRole')
export class GuildRoleModel {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => String, { nullable: true, description: '#rrggbb; null for no colour' })
  color: string | null;
  @Field(() => Int) position: number;
  @Field({ description: 'Managed by an integration: nobody can hand it out' }) managed: boolean;
}

@ObjectType('GuildRoles', { description: "The community guild's roles, for the role picker" })
export class GuildRolesModel {
  @Field(() => [GuildRoleModel], { description: 'Highest first; empty when unavailable' })
  roles: GuildRoleModel[];
  @Field(() => Int, {
    nullable: true,
    description: "Position of the bot's highest role: it can hand out only roles below it",
  })
  botTopPosition: number | null;
  @Field(() => String, { nullable: true, description: 'Why the roles could not be listed' })
  unavailableReason: string | null;
}
