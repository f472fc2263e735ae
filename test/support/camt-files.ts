// The builder lives below the tests, so `npm run bench` builds the same files without importing test/.
export * from '../../bench/harness/camt-files.js';
