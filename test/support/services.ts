export { startServices, workerServiceOptions, type RunningServices } from '../../infra/local-services.js';
