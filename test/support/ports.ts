/** The shared helper lives below the tests (the drills and benchmarks use it too). */
export { freePort } from '../../infra/free-port.js';
