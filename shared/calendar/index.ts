export * from './algemene-termijnenwet.js';
export * from './amsterdam-clock.js';
export * from './atw-decree-days.js';
export * from './dutch-holidays.js';
export * from './iso-date.js';
export * from './presumed-delivery.js';
