/**
 * The worker's verdict cache, in two levels: a Map in memory (first level), and the session
 * storage area (second level, `browser.storage.session`). Chrome stops an idle MV3 service worker
 * after about 30 seconds and its memory goes with it; without the second level every reload of a
 * profile page after a short pause would fetch and verify all its credentials again. The session
 * area is kept in memory by the browser, never synced, never written to disk, cleared when the
 * browser session ends, and readable only by the extension's own pages and worker (its default
 * access level), so pages cannot read or plant verdicts.
 *
 * Bounded: the memory level keeps `maxEntries` of each kind (least recently used dropped); the
 * session level keeps at most `maxStoredItems` items and `maxStoredChars` characters of JSON
 * (entries larger than an eighth of that stay in memory only). Writes are queued one after the
 * other; a failed write (quota, browser shutting down) only costs a later re-check, so it is dropped.
 */
import type { VerificationReport } from '../../../shared/verify/types.ts';
import type { CandidateSource, CredentialView } from '../protocol.ts';

export interface CachedEntry {
  /** The credential text that was verified, kept so a stale verdict can be re-checked without fetching it again. */
  readonly input: string;
  readonly kind: CandidateSource['kind'] | 'pasted';
  readonly report?: VerificationReport;
  readonly view: CredentialView;
  readonly checkedAt: number;
}

/** Which entry a page source (URL, image, inline text) led to, and when it was fetched. */
export interface SourceLink {
  readonly entryKey: string;
  readonly at: number;
}

/** The part of a WebExtension StorageArea the cache uses (browser.storage.session). */
export interface SessionArea {
  get(keys: null | string | string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

export interface VerdictCacheOptions {
  /** Absent (a browser without storage.session): memory only. */
  readonly area?: SessionArea;
  readonly maxEntries?: number;
  readonly maxStoredItems?: number;
  /** Chrome gives storage.session 10 MB; the default leaves most of it to anything else. */
  readonly maxStoredChars?: number;
}

export interface VerdictCache {
  entry(key: string): Promise<CachedEntry | undefined>;
  source(key: string): Promise<SourceLink | undefined>;
  putEntry(key: string, entry: CachedEntry): void;
  putSource(key: string, link: SourceLink): void;
  deleteEntry(key: string): void;
  /** Forgets both levels; resolves once the session area is empty of our items. */
  clear(): Promise<void>;
  /** Resolves when every queued write to the session area has been made (for tests and shutdown). */
  flushed(): Promise<void>;
}

const PREFIX = 'microcred.verdicts.';
const INDEX_KEY = `${PREFIX}index`;
const entryKeyOf = (key: string) => `${PREFIX}e:${key}`;
const sourceKeyOf = (key: string) => `${PREFIX}s:${key}`;

/** Stored item key → its size in characters, oldest first. */
type Index = Map<string, number>;

export function createVerdictCache(options: VerdictCacheOptions = {}): VerdictCache {
  const maxEntries = options.maxEntries ?? 1000;
  const maxStoredItems = options.maxStoredItems ?? 2 * maxEntries;
  const maxStoredChars = options.maxStoredChars ?? 4_000_000;
  const area = options.area;
  const entries = new Map<string, CachedEntry>();
  const sources = new Map<string, SourceLink>();
  let writes: Promise<unknown> = Promise.resolve();
  let index: Promise<Index> | undefined;

  const loadIndex = (): Promise<Index> =>
    (index ??= area
      ? area.get(INDEX_KEY).then(
          (stored) => new Map(Array.isArray(stored[INDEX_KEY]) ? (stored[INDEX_KEY] as unknown[]).filter(isIndexRow) : []),
          () => new Map(),
        )
      : Promise.resolve(new Map()));

  /** Runs storage work strictly one after the other, so the index never races with itself. */
  function queue(work: (area: SessionArea, index: Index) => Promise<void>): void {
    if (!area) return;
    writes = writes.then(async () => work(area, await loadIndex())).catch(() => undefined);
  }

  function store(itemKey: string, value: unknown): void {
    queue(async (area, index) => {
      const size = itemKey.length + JSON.stringify(value).length;
      index.delete(itemKey);
      if (size > maxStoredChars / 8) {
        await area.remove(itemKey);
      } else {
        index.set(itemKey, size);
        await area.set({ [itemKey]: value });
      }
      const evicted: string[] = [];
      let total = [...index.values()].reduce((sum, n) => sum + n, 0);
      for (const [key, n] of index) {
        if (index.size <= maxStoredItems && total <= maxStoredChars) break;
        index.delete(key);
        total -= n;
        evicted.push(key);
      }
      if (evicted.length > 0) await area.remove(evicted);
      await area.set({ [INDEX_KEY]: [...index] });
    });
  }

  function unstore(itemKey: string): void {
    queue(async (area, index) => {
      if (!index.delete(itemKey)) return;
      await area.remove(itemKey);
      await area.set({ [INDEX_KEY]: [...index] });
    });
  }

  /** Reads the second level after pending writes, so a value just written is seen. */
  async function read(itemKey: string): Promise<unknown> {
    if (!area) return undefined;
    await writes;
    try {
      return (await area.get(itemKey))[itemKey];
    } catch {
      return undefined;
    }
  }

  return {
    async entry(key) {
      const known = entries.get(key);
      if (known) return known;
      const stored = await read(entryKeyOf(key));
      if (!isCachedEntry(stored)) return undefined;
      remember(entries, key, stored, maxEntries);
      return stored;
    },
    async source(key) {
      const known = sources.get(key);
      if (known) return known;
      const stored = await read(sourceKeyOf(key));
      if (!isSourceLink(stored)) return undefined;
      remember(sources, key, stored, maxEntries);
      return stored;
    },
    putEntry(key, entry) {
      remember(entries, key, entry, maxEntries);
      store(entryKeyOf(key), entry);
    },
    putSource(key, link) {
      remember(sources, key, link, maxEntries);
      store(sourceKeyOf(key), link);
    },
    deleteEntry(key) {
      entries.delete(key);
      unstore(entryKeyOf(key));
    },
    async clear() {
      entries.clear();
      sources.clear();
      queue(async (area, index) => {
        index.clear();
        // Every item of ours, also those an index lost in a crash would not name.
        const all = await area.get(null);
        await area.remove(Object.keys(all).filter((key) => key.startsWith(PREFIX)));
      });
      await writes;
    },
    async flushed() {
      await writes;
    },
  };
}

function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value as string);
}

function isIndexRow(row: unknown): row is [string, number] {
  return Array.isArray(row) && row.length === 2 && typeof row[0] === 'string' && row[0].startsWith(PREFIX) && typeof row[1] === 'number';
}

function isCachedEntry(value: unknown): value is CachedEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Partial<CachedEntry>;
  return typeof entry.input === 'string' && typeof entry.kind === 'string' && typeof entry.checkedAt === 'number' && typeof entry.view?.verdict === 'string';
}

function isSourceLink(value: unknown): value is SourceLink {
  return typeof value === 'object' && value !== null && typeof (value as SourceLink).entryKey === 'string' && typeof (value as SourceLink).at === 'number';
}
