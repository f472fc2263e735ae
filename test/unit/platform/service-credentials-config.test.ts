import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../shared/config.js';

describe('internal services in the configuration', () => {
  it('listen on loopback unless SERVICE_BIND_HOST says otherwise, and have no secret unless one is set', () => {
    const config = loadConfig({});
    expect(config.SERVICE_BIND_HOST).toBe('127.0.0.1');
    expect([config.LETTERS_SERVICE_SECRET, config.BANK_SERVICE_SECRET, config.MUNICIPALITY_SERVICE_SECRET]).toEqual([undefined, undefined, undefined]);
    expect(loadConfig({ SERVICE_BIND_HOST: '0.0.0.0' }).SERVICE_BIND_HOST).toBe('0.0.0.0');
  });

  it('refuses a guessable secret, naming the variable', () => {
    expect(() => loadConfig({ BANK_SERVICE_SECRET: 'secret' })).toThrow(ConfigError);
    expect(() => loadConfig({ BANK_SERVICE_SECRET: 'secret' })).toThrow(/BANK_SERVICE_SECRET: at least 32 characters/);
    expect(loadConfig({ LETTERS_SERVICE_SECRET: 'a'.repeat(64) }).LETTERS_SERVICE_SECRET).toBe('a'.repeat(64));
  });
});
