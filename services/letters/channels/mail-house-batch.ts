import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One letter as the mail house's manifest lists it: what it prints, folds and posts. */
export interface ManifestEntry {
  readonly letterId: string;
  readonly kind: string;
  readonly file: string;
  readonly sha256: string;
  readonly pages: number;
  /** Registered post (aangetekend): the mail house reports its track & trace and delivery back. */
  readonly registered: boolean;
  /** The address block as printed in the envelope window. */
  readonly address: readonly string[];
}

export interface BatchLetter extends Omit<ManifestEntry, 'file'> {
  readonly pdf: Buffer;
  /** The posting day: the batch folder's name. */
  readonly postedOn: string;
}

const csvField = (value: string) => (/[",\n;]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
const csvHeader = 'letter_id;kind;file;sha256;pages;registered;address';

async function writeAtomically(file: string, content: string | Buffer): Promise<void> {
  await writeFile(`${file}.tmp`, content);
  await rename(`${file}.tmp`, file);
}

/**
 * The post channel as print and mail houses take it: one folder per posting day
 * (`<dir>/<yyyy-mm-dd>/`) with the PDFs and a manifest (JSON and CSV) of the day's letters, which
 * the mail house collects (over SFTP in a real installation). Adding a letter again replaces its
 * entry, so a retried dispatch leaves one letter in the batch.
 */
export function createMailHouseBatches(dir: string) {
  // One writer per day folder in this process: the manifest is read, extended and replaced.
  const queues = new Map<string, Promise<unknown>>();
  const serially = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const next = (queues.get(key) ?? Promise.resolve()).then(work, work);
    queues.set(key, next.catch(() => undefined));
    return next;
  };

  return {
    dayFolder: (postedOn: string) => join(dir, postedOn),
    async add(letter: BatchLetter): Promise<{ batch: string }> {
      const folder = join(dir, letter.postedOn);
      return serially(folder, async () => {
        await mkdir(folder, { recursive: true });
        const file = `${letter.letterId}.pdf`;
        await writeAtomically(join(folder, file), letter.pdf);
        const manifestFile = join(folder, 'manifest.json');
        const existing = await readFile(manifestFile, 'utf8').then(
          (text) => (JSON.parse(text) as { letters: ManifestEntry[] }).letters,
          () => [] as ManifestEntry[],
        );
        const entry: ManifestEntry = { letterId: letter.letterId, kind: letter.kind, file, sha256: letter.sha256, pages: letter.pages, registered: letter.registered, address: letter.address };
        const letters = [...existing.filter((e) => e.letterId !== letter.letterId), entry];
        const manifest = { postingDate: letter.postedOn, letters: letters.length, pages: letters.reduce((n, e) => n + e.pages, 0), registered: letters.filter((e) => e.registered).length };
        await writeAtomically(manifestFile, `${JSON.stringify({ ...manifest, letters }, null, 2)}\n`);
        const rows = letters.map((e) => [e.letterId, e.kind, e.file, e.sha256, String(e.pages), e.registered ? 'ja' : 'nee', e.address.join(' | ')].map(csvField).join(';'));
        await writeAtomically(join(folder, 'manifest.csv'), `${[csvHeader, ...rows].join('\n')}\n`);
        return { batch: letter.postedOn };
      });
    },
  };
}
export type MailHouseBatches = ReturnType<typeof createMailHouseBatches>;
