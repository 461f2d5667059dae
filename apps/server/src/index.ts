// What tests and tools may import from the server app (as @ttfd/server).
export * from './app.module';
export * from './app.factory';
export * from './bootstrap';
export * from './graceful-shutdown';
