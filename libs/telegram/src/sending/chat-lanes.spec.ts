import { ChatBacklogFull, ChatLanes } from './chat-lanes';

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('ChatLanes', () => {
  it('runs one chat in order and other chats without waiting for it', async () => {
    const lanes = new ChatLanes(10);
    const order: string[] = [];
    const slow = gate();
    const a1 = lanes.run('a', async () => {
      await slow.promise;
      order.push('a1');
    });
    const a2 = lanes.run('a', async () => {
      order.push('a2');
    });
    await lanes.run('b', async () => {
      order.push('b1');
    });
    expect(order).toEqual(['b1']); // b did not wait behind a's slow job
    expect(lanes.size).toBe(2);
    slow.open();
    await Promise.all([a1, a2]);
    expect(order).toEqual(['b1', 'a1', 'a2']);
    await lanes.idle();
    expect(lanes.size).toBe(0);
  });

  it('keeps going after a failed job and reports the failure to its caller only', async () => {
    const lanes = new ChatLanes(10);
    const failed = lanes.run('a', async () => {
      throw new Error('boom');
    });
    const next = lanes.run('a', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });

  it('refuses more than its limit of waiting jobs per chat', async () => {
    const lanes = new ChatLanes(2);
    const hold = gate();
    const first = lanes.run('a', () => hold.promise);
    const second = lanes.run('a', async () => undefined);
    await expect(lanes.run('a', async () => undefined)).rejects.toBeInstanceOf(ChatBacklogFull);
    await expect(lanes.run('b', async () => 'other chat')).resolves.toBe('other chat');
    hold.open();
    await Promise.all([first, second]);
    await expect(lanes.run('a', async () => 'room again')).resolves.toBe('room again');
  });

  it('idle() waits for jobs queued while draining', async () => {
    const lanes = new ChatLanes(10);
    const hold = gate();
    void lanes.run('a', () => hold.promise);
    let idle = false;
    const drained = lanes.idle().then(() => (idle = true));
    void lanes.run('b', async () => undefined);
    await Promise.resolve();
    expect(idle).toBe(false);
    hold.open();
    await drained;
    expect(lanes.size).toBe(0);
  });
});
