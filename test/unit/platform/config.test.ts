import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../shared/config.js';

describe('configuration from the environment', () => {
  it('has working defaults for one machine', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ TEMPORAL_ADDRESS: '127.0.0.1:7233', PORT: 3000, SIMULATION: false, lettersUrl: 'http://127.0.0.1:3101' });
  });

  it('treats an empty variable as unset and parses flags and ports', () => {
    expect(loadConfig({ TEMPORAL_ADDRESS: '', SIMULATION: '1', PORT: '3300' })).toMatchObject({ TEMPORAL_ADDRESS: '127.0.0.1:7233', SIMULATION: true, PORT: 3300 });
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '70000', DATABASE_URL: 'not a url' })).toThrow(/PORT[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*PORT/);
    expect(() => loadConfig({ SIMULATION: 'yes' })).toThrow(/SIMULATION/);
  });
});
