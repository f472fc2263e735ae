/** The benchmark's pain.008 input serves the tests too (bench code may not import from test/). */
export { testCollectionFile, testCreditor, testDebit, testDebits, testIban } from '../../bench/harness/collection-files.js';
