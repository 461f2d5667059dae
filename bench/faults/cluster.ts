// The drills and the e2e chaos test start the built app the same way: one class, in test/support.
// eslint-disable-next-line no-restricted-imports
export { AppProcess, BUILT_MAIN } from '../../test/support/app-process';
