// The lab's CIB file and its writers. Two kinds of writer share it: this
// process (the converge loop, faults) and operators' tools over SSH
// (crm_resource, crm_attribute, cibadmin with CIB_file), which rewrite the
// file in place with no lock. So every change of ours is made on a private
// copy and swapped in by rename only if the file still holds what the copy
// was made from; otherwise the change is dropped and retried from the new
// content. A write that slips in between that check and the rename is put
// back. Our own changes are serialised through one queue.
import { closeSync, fstatSync, openSync, readSync, renameSync } from 'node:fs';
import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { epochMs } from '../component.js';

/** Operators' tools may run as the lab's login user: the file must stay writable for them. */
const CIB_MODE = 0o666;

/** How long a late writer may take to finish the file it was writing when we replaced it. */
const LATE_WRITE_WAIT_MS = 1_000;

let tempCounter = 0;

export class CibStore {
  private queue: Promise<unknown> = Promise.resolve();
  /** What the file held after our last commit: anything else was written by someone else. */
  private committed: string | undefined;
  /** When our last change was swapped in (epochMs): the moment a fault became real. */
  lastCommitAt: number | undefined;

  constructor(readonly path: string) {}

  /** The file's content; '' when it does not exist. */
  async read(): Promise<string> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw err;
    }
  }

  /** True when someone else wrote the file since our last commit. */
  async changedByOthers(): Promise<boolean> {
    return (await this.read()) !== this.committed;
  }

  /**
   * Runs `change` on a private copy (its path is the argument) and commits the
   * result. `base` starts from given content and overwrites whatever the file
   * holds (used once, to create it). Resolves false when another writer
   * changed the file meanwhile: the file then holds their change, not ours.
   */
  transact(change: (work: string) => Promise<void>, base?: string): Promise<boolean> {
    const result = this.queue.then(() => this.run(change, base));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async run(change: (work: string) => Promise<void>, base: string | undefined): Promise<boolean> {
    const snapshot = base ?? (await this.read());
    const work = join(dirname(this.path), `.${basename(this.path)}.${process.pid}.${++tempCounter}.tmp`);
    try {
      await writeFile(work, snapshot);
      await change(work);
      const result = await readFile(work, 'utf8');
      await chmod(work, CIB_MODE);
      if (base !== undefined) {
        await rename(work, this.path);
        this.committed = result;
        return true;
      }
      const swap = this.swapIfUnchanged(work, snapshot);
      if (swap === 'changed') return false;
      this.committed = result;
      if (swap === 'swapped') return true;
      await this.restoreLateWrite(swap.oldFd, result);
      return false;
    } finally {
      await rm(work, { force: true });
    }
  }

  /**
   * Compare-and-swap, synchronous so nothing runs between the check and the
   * rename. The replaced file stays open: a tool that opened it for writing
   * just before the rename writes into it, and that write would vanish with it.
   */
  private swapIfUnchanged(work: string, snapshot: string): 'changed' | 'swapped' | { oldFd: number } {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || snapshot !== '') throw err;
      renameSync(work, this.path);
      this.lastCommitAt = epochMs();
      return 'swapped';
    }
    const before = fstatSync(fd);
    if (readAll(fd) !== snapshot) {
      closeSync(fd);
      return 'changed';
    }
    renameSync(work, this.path);
    this.lastCommitAt = epochMs();
    const after = fstatSync(fd);
    if (after.mtimeMs === before.mtimeMs && after.size === before.size) {
      closeSync(fd);
      return 'swapped';
    }
    return { oldFd: fd };
  }

  /** Puts back a write that landed in the file we replaced, once the writer is done with it. */
  private async restoreLateWrite(oldFd: number, ours: string): Promise<void> {
    try {
      let content = readAll(oldFd);
      for (let waited = 0; !/<\/cib>\s*$/.test(content) && waited < LATE_WRITE_WAIT_MS; waited += 20) {
        await sleep(20);
        content = readAll(oldFd);
      }
      if ((await this.read()) !== ours) {
        throw new Error(`${this.path}: an operator's write landed while the lab replaced the file and was lost; check the CIB with crm_mon`);
      }
      const temp = `${this.path}.${process.pid}.restore.tmp`;
      await writeFile(temp, content);
      await chmod(temp, CIB_MODE);
      await rename(temp, this.path);
    } finally {
      closeSync(oldFd);
    }
  }
}

function readAll(fd: number): string {
  const buffer = Buffer.alloc(fstatSync(fd).size);
  const read = readSync(fd, buffer, 0, buffer.length, 0);
  return buffer.subarray(0, read).toString('utf8');
}
