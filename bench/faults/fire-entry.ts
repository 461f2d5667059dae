import { send } from './driver';

/**
 * One of the processes of the "same award fifty times at once" drill: fires `count` copies of
 * one adjustment (same Idempotency-Key) concurrently. Args: apiUrl accountId key delta count.
 */
const [apiUrl, accountId, key, delta, count] = process.argv.slice(2);
Promise.all(
  Array.from({ length: Number(count) }, () => send(apiUrl, accountId, key, Number(delta))),
).then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
);
