import 'reflect-metadata';
import { bootstrap } from './bootstrap';

bootstrap().catch((error: Error) => {
  process.stderr.write(`TTFD Sync failed to start: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
