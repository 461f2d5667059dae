import { Injectable } from '@nestjs/common';
import { nextRank, Rank, rankById, rankForXp, rankProgress, RankProgress, RANKS } from './ranks';

/** The rank table for injection (API, bots); the rules themselves are pure functions. */
@Injectable()
export class RanksService {
  all(): readonly Rank[] {
    return RANKS;
  }

  byId(rankId: number): Rank {
    return rankById(rankId);
  }

  forXp(xp: number): Rank {
    return rankForXp(xp);
  }

  next(xp: number): Rank | null {
    return nextRank(xp);
  }

  progress(xp: number): RankProgress {
    return rankProgress(xp);
  }
}
