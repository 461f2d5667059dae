/** A chat's queue is full: the message is dropped rather than kept for minutes. */
export class ChatBacklogFull extends Error {
  constructor(chat: string, limit: number) {
    super(`chat ${chat} already has ${limit} messages waiting`);
    this.name = 'ChatBacklogFull';
  }
}

interface Lane {
  tail: Promise<void>;
  size: number;
}

/**
 * One FIFO per chat: jobs of the same chat run one after another, in the order they were queued;
 * different chats never wait for each other. Empty lanes are forgotten, so memory follows the
 * chats that have something waiting, not every chat ever seen.
 */
export class ChatLanes {
  private readonly lanes = new Map<string, Lane>();
  private waiters: (() => void)[] = [];

  constructor(private readonly maxPerChat: number) {}

  run<T>(chat: string, job: () => Promise<T>): Promise<T> {
    let lane = this.lanes.get(chat);
    if (lane && lane.size >= this.maxPerChat) {
      return Promise.reject(new ChatBacklogFull(chat, this.maxPerChat));
    }
    if (!lane) {
      lane = { tail: Promise.resolve(), size: 0 };
      this.lanes.set(chat, lane);
    }
    const current = lane;
    current.size++;
    const result = current.tail.then(job);
    current.tail = result.then(
      () => this.finished(chat, current),
      () => this.finished(chat, current),
    );
    return result;
  }

  /** Jobs queued or running, over every chat. */
  get size(): number {
    let total = 0;
    for (const lane of this.lanes.values()) total += lane.size;
    return total;
  }

  /** Resolves once every lane is empty (jobs queued meanwhile included). */
  idle(): Promise<void> {
    if (this.lanes.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private finished(chat: string, lane: Lane): void {
    lane.size--;
    if (lane.size > 0) return;
    if (this.lanes.get(chat) === lane) this.lanes.delete(chat);
    if (this.lanes.size === 0) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    }
  }
}
