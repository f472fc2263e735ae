export * from './bailiff-fees.js';
export * from './collection-costs.js';
export * from './payment-allocation.js';
export * from './statutory-interest-rates.js';
export * from './statutory-interest.js';
export * from './wik-letter-claims.js';
export * from './wik-letter-term.js';
export * from './bailiff-summons-term.js';
