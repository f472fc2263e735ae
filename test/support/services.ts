export { startServices, workerServiceOptions, type RunningServices } from '../../local/local-services.js';
