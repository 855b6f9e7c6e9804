// The SQLite location store (and the agency look-ups' unclaimed locations) answer repeated reads from memory: every way
// a row can change must be seen at once, whoever writes it on this connection (this store, another store, raw SQL),
// another connection's commit from the next turn of the event loop on, and a rolled-back write never.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocationStore } from '../../../src/store/locations.js';
import { createAgencyLookups } from '../../../src/store/agency-lookups.js';
import { defaultSettings, mergeSettings } from '../../../src/workflow/settings.js';
import { openSqliteEngine } from '../../helpers/store-engines.js';

const NOW = 1_700_000_000_000;

describe('the SQLite location store\'s read cache', () => {
  let engine: ReturnType<typeof openSqliteEngine>;
  let locations: ReturnType<typeof createLocationStore>;
  beforeEach(() => {
    engine = openSqliteEngine();
    locations = createLocationStore(engine.db);
    locations.install({ locationId: 'loc-1', companyId: null, settings: defaultSettings() }, NOW);
    locations.saveProfile('loc-1', { name: 'Acme', timeZone: 'America/Chicago', phone: '+15125550100', numbers: ['+15125550100'] }, NOW);
  });
  afterEach(() => engine.close());

  const read = () => locations.getWithNumbers('loc-1');

  it('when nothing changed, then a repeated read answers the same location, as a copy (its settings frozen) the caller may not change for the next', () => {
    const first = read()!;
    expect(() => { first.settings.enabled = false; }).toThrow(TypeError);
    first.numbers.push('+15125550199');
    const again = read()!;
    expect(again.settings.enabled).toBe(true);
    expect(again.numbers).toEqual(['+15125550100']);
    expect(again).not.toBe(first);
  });

  it('when this store changes the location, then the next read sees it', () => {
    read();
    locations.saveSettings('loc-1', mergeSettings(defaultSettings(), { enabled: false }), NOW + 1);
    expect(read()!.settings.enabled).toBe(false);
    locations.saveProfile('loc-1', { name: 'Acme 2', timeZone: 'UTC', phone: null, numbers: ['+15125550101'] }, NOW + 2);
    expect(read()).toMatchObject({ name: 'Acme 2', numbers: ['+15125550101'] });
    locations.uninstall('loc-1', NOW + 3);
    expect(read()!.status).toBe('uninstalled');
  });

  it('when another store or plain SQL on the same connection changes it, then the next read sees it', () => {
    read();
    createAgencyLookups(engine.db).assignCompany('loc-1', 'company-1', NOW + 1);
    expect(read()!.companyId).toBe('company-1');
    engine.db.prepare(`UPDATE locations SET name = 'Renamed' WHERE location_id = 'loc-1'`).run();
    expect(read()!.name).toBe('Renamed');
    engine.db.prepare(`DELETE FROM location_numbers WHERE location_id = 'loc-1'`).run();
    expect(read()!.numbers).toEqual([]);
    engine.db.prepare(`DELETE FROM locations WHERE location_id = 'loc-1'`).run();
    expect(read()).toBeNull();
  });

  it('when another connection to the same file commits a change, then a read in the next turn of the event loop sees it', async () => {
    read();
    const other = new Database(engine.db.name);
    try {
      other.prepare(`UPDATE locations SET name = 'Changed elsewhere' WHERE location_id = 'loc-1'`).run();
    } finally {
      other.close();
    }
    // Looked for once per turn: within the turn that read it, the cached row still answers.
    expect(read()!.name).toBe('Acme');
    await new Promise(setImmediate);
    expect(read()!.name).toBe('Changed elsewhere');
  });

  it('when a change is read inside a transaction that rolls back, then later reads see the stored row, not the rolled-back one', () => {
    read();
    expect(() => engine.db.transaction(() => {
      engine.db.prepare(`UPDATE locations SET name = 'Never stored' WHERE location_id = 'loc-1'`).run();
      expect(read()!.name).toBe('Never stored');
      throw new Error('roll back');
    })()).toThrow('roll back');
    expect(read()!.name).toBe('Acme');
  });

  it('when two stores share one connection, then a write through either is seen by both', () => {
    const second = createLocationStore(engine.db);
    read();
    second.getWithNumbers('loc-1');
    second.savePlan('loc-1', 'pro', NOW + 1);
    expect(read()!.planId).toBe('pro');
    locations.savePlan('loc-1', 'basic', NOW + 2);
    expect(second.getWithNumbers('loc-1')!.planId).toBe('basic');
  });
});

describe('the SQLite agency look-ups\' unclaimed-location cache', () => {
  let engine: ReturnType<typeof openSqliteEngine>;
  beforeEach(() => { engine = openSqliteEngine(); });
  afterEach(() => engine.close());

  it('when the table changes through any store on the connection, or through another connection, then the next answer follows it', async () => {
    const lookups = createAgencyLookups(engine.db);
    expect(lookups.isUnclaimed('loc-9', NOW)).toBe(false);
    createAgencyLookups(engine.db).rememberUnclaimed('loc-9', NOW, NOW + 1_000);
    expect(lookups.isUnclaimed('loc-9', NOW)).toBe(true);
    expect(lookups.isUnclaimed('loc-9', NOW + 1_000)).toBe(false);
    engine.db.prepare('DELETE FROM unclaimed_locations').run();
    expect(lookups.isUnclaimed('loc-9', NOW)).toBe(false);

    const other = new Database(engine.db.name);
    try {
      other.prepare('INSERT INTO unclaimed_locations (location_id, checked_at, retry_after) VALUES (?, ?, ?)').run('loc-9', NOW, NOW + 500);
    } finally {
      other.close();
    }
    await new Promise(setImmediate);
    expect(lookups.isUnclaimed('loc-9', NOW)).toBe(true);
  });
});
