// One session's checkpoints: snapshots before a prompt's first change and after it, the list of prompts
// with the files each changed, and rewinding the code to just before one of them (itself checkpointed, so
// it can be undone). Front ends (REPL, `claw rewind`, the Agent SDK's rewind_files) all go through here.
import { randomUUID } from "node:crypto";
import { realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { CheckpointRecord, SessionRecord } from "../session-records.js";
import { type CheckpointEntry, checkpointEntries, findEntry } from "./checkpoint-list.js";
import { applyRewindPlan, type RestoreOutcome } from "./restore-files.js";
import { planRewind } from "./rewind-plan.js";
import { CheckpointError, ShadowRepo, splitNul } from "./shadow-git.js";
import { addToIndex, changedPaths, type Snapshot, takeSnapshot, unsupportedWorkspace } from "./snapshot.js";

export interface FileCheckpointsOptions {
  configHome: string;
  /** The workspace (the session's cwd). */
  cwd: string;
  sessionId: string;
  /** The session file: the checkpoint records are read back from it. */
  sessionPath: string;
  /** Where checkpoint records go (the session store). */
  sink: { append(record: SessionRecord): void };
  /** One-line warnings for the user (checkpoints turned off, and why). */
  warn?: (message: string) => void;
}

export interface RewindOptions {
  /** Overwrite files changed outside claw since it last wrote them. */
  force?: boolean;
  /** Work out what would change without changing anything. */
  dryRun?: boolean;
}

export type RewindOutcome =
  | {
      ok: true;
      target: CheckpointEntry;
      /** The rewind's own id (undo it with rewind(thisId)); undefined when nothing had to change or a dry run. */
      rewindId?: string;
      restore: string[];
      remove: string[];
      /** A dry run's files changed outside claw since it last wrote them. */
      conflicts?: string[];
      outcome?: RestoreOutcome;
    }
  | { ok: false; target?: CheckpointEntry; conflicts?: string[]; error: string };

export class FileCheckpoints {
  private readonly repo: ShadowRepo;
  private readonly unsupported: string | undefined;
  private readonly realCwd: string;
  private disabled: string | undefined;
  /** The prompt whose "before" snapshot is taken, with its tree and the paths its tools named. */
  private current: { promptId: string; tree: string; paths: Set<string>; checked: Set<string> } | undefined;
  /** The snapshot started with the running prompt (promptStarted). */
  private early: { promptId: string; snapshot: Promise<Snapshot | undefined> } | undefined;
  private closed = false;
  /** The queued "after" snapshot of the last prompt. */
  private recording: Promise<void> = Promise.resolve();
  /** Serialises git work on the session's index. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: FileCheckpointsOptions) {
    this.repo = new ShadowRepo({
      configHome: options.configHome,
      workTree: options.cwd,
      sessionId: options.sessionId,
    });
    this.unsupported = unsupportedWorkspace(options.cwd);
    this.realCwd = realpathOr(options.cwd);
  }

  /** Why checkpoints are off for this session, or undefined while they work. */
  get unavailable(): string | undefined {
    return this.unsupported ?? this.disabled;
  }

  private serial<T>(job: () => Promise<T>): Promise<T> {
    const work = () => (this.closed ? Promise.reject(new CheckpointError("the session is closing")) : job());
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * A project seen for the first time has every file to hash once: the REPL starts that while the user types.
   * Not waited for at exit (flush); an interrupted first snapshot is simply done again later.
   */
  prewarm(): void {
    if (this.unavailable || this.repo.hasIndex()) return;
    void this.serial(() => takeSnapshot(this.repo)).catch((error: unknown) => this.turnOff(error));
  }

  /**
   * Called when a prompt starts: the workspace is snapshotted while the model thinks, so the prompt's first
   * change rarely waits. The snapshot is only recorded if the prompt changes something.
   */
  promptStarted(promptId: string): void {
    if (this.unavailable) return;
    const snapshot = this.serial(() => takeSnapshot(this.repo)).catch((error: unknown) => {
      this.turnOff(error);
      return undefined;
    });
    this.early = { promptId, snapshot };
  }

  /** Called before a tool that may change files runs. `paths` are the files it names (Edit, Write). */
  beforeChange(promptId: string, paths: readonly string[]): Promise<void> {
    if (this.unavailable) return Promise.resolve();
    return this.serial(async () => {
      try {
        if (this.current?.promptId !== promptId) {
          // Queued before this job, so already settled: no wait.
          const early = this.early?.promptId === promptId ? await this.early.snapshot : undefined;
          this.early = undefined;
          const snapshot = early ?? (await takeSnapshot(this.repo));
          this.current = { promptId, tree: snapshot.tree, paths: new Set(), checked: new Set() };
          this.append({
            type: "checkpoint",
            id: promptId,
            stage: "before",
            tree: snapshot.tree,
            ...skipped(snapshot),
          });
        }
        await this.coverNamedFiles(paths);
      } catch (error) {
        this.turnOff(error);
      }
    }).catch(() => undefined); // rejected only after close(): nothing left to record
  }

  /**
   * A file Edit or Write names that .gitignore excludes is not in the snapshot: its current (unchanged) content
   * is added to the "before" tree, so the rewind covers it too.
   */
  private async coverNamedFiles(paths: readonly string[]): Promise<void> {
    const current = this.current!;
    const fresh = paths
      .map((p) => this.workspaceRelative(p))
      .filter((p): p is string => p !== undefined && !current.checked.has(p));
    for (const path of fresh) {
      current.checked.add(path);
      current.paths.add(path);
    }
    if (fresh.length === 0) return;
    // Tracked files are never reported as ignored: what comes back is in no snapshot yet.
    const ignored = splitNul(
      await this.repo.run(["check-ignore", "-z", "--stdin"], {
        stdin: `${fresh.join("\0")}\0`,
        okCodes: [1],
      }),
    );
    if (ignored.length === 0) return;
    const snapshot = await addToIndex(this.repo, ignored);
    if (snapshot.tree === current.tree) return;
    current.tree = snapshot.tree;
    this.append({ type: "checkpoint", id: current.promptId, stage: "before", tree: snapshot.tree });
  }

  /**
   * Called when a prompt's run ends (finished, failed or interrupted). The "after" snapshot is queued, not
   * awaited: the prompt comes back at once, and everything that reads checkpoints waits for it (flush).
   */
  afterPrompt(promptId: string): Promise<void> {
    if (this.current?.promptId !== promptId) return Promise.resolve();
    this.recording = this.serial(async () => {
      const current = this.current;
      this.current = undefined;
      if (!current || this.unavailable) return;
      try {
        const snapshot = await takeSnapshot(this.repo, { forcePaths: [...current.paths] });
        const files = await changedPaths(this.repo, current.tree, snapshot.tree);
        this.append({
          type: "checkpoint",
          id: promptId,
          stage: "after",
          tree: snapshot.tree,
          files,
          ...skipped(snapshot),
        });
      } catch (error) {
        this.turnOff(error);
      }
    }).catch(() => undefined); // rejected only after close(): nothing left to record
    return Promise.resolve();
  }

  /** Resolves when the last prompt's "after" checkpoint is written. */
  async flush(): Promise<void> {
    await this.recording;
  }

  /**
   * Before the session file closes: the last "after" checkpoint is written; a snapshot nobody waits for (the
   * start of a prompt that changed nothing, the REPL's first one) is stopped rather than holding up the exit.
   */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    await this.repo.stopAll();
    await this.queue;
  }

  /** The session's prompts and rewinds, oldest first (after any pending snapshot). */
  async list(): Promise<CheckpointEntry[]> {
    await this.flush();
    await this.queue;
    return this.readEntries();
  }

  private async readEntries(): Promise<CheckpointEntry[]> {
    // Reading a session back validates its records with zod: loaded only when checkpoints are listed or used.
    const { loadSession } = await import("../session-load.js");
    try {
      return checkpointEntries(loadSession(this.options.sessionPath).records);
    } catch {
      return [];
    }
  }

  /** Restores the code to just before the prompt `id` (a uuid or a unique prefix). */
  rewind(id: string, options: RewindOptions = {}): Promise<RewindOutcome> {
    if (this.unavailable)
      return Promise.resolve({ ok: false, error: `Checkpoints are off: ${this.unavailable}.` });
    return this.serial(async () => {
      const entries = await this.readEntries();
      const found = findEntry(entries, id);
      if ("error" in found) return { ok: false, error: found.error };
      const target = found.entry;
      try {
        const plan = await planRewind(this.repo, entries, target, (forcePaths) =>
          takeSnapshot(this.repo, { forcePaths }),
        );
        const restore = [...plan.restore.keys()];
        if (plan.conflicts.length > 0 && !options.force && !options.dryRun) {
          return {
            ok: false,
            target,
            conflicts: plan.conflicts,
            error: "These files changed outside claw since it last wrote them",
          };
        }
        if (options.dryRun || (restore.length === 0 && plan.remove.length === 0)) {
          return {
            ok: true,
            target,
            restore,
            remove: plan.remove,
            ...(options.dryRun ? { conflicts: plan.conflicts } : {}),
          };
        }
        const rewindId = randomUUID();
        this.append({
          type: "checkpoint",
          id: rewindId,
          stage: "before",
          tree: plan.now.tree,
          rewindOf: target.id,
        });
        const outcome = await applyRewindPlan(this.repo, plan);
        const after: Snapshot = await takeSnapshot(this.repo, { forcePaths: [...restore, ...plan.remove] });
        const files = await changedPaths(this.repo, plan.now.tree, after.tree);
        this.append({ type: "checkpoint", id: rewindId, stage: "after", tree: after.tree, files });
        return { ok: true, target, rewindId, restore, remove: plan.remove, outcome };
      } catch (error) {
        if (error instanceof CheckpointError) return { ok: false, target, error: error.message };
        throw error;
      }
    });
  }

  private append(record: CheckpointRecord): void {
    this.options.sink.append(record);
  }

  /** The path relative to the workspace, or undefined outside it (tools may name it by its real path). */
  private workspaceRelative(path: string): string | undefined {
    const full = isAbsolute(path) ? path : resolve(this.options.cwd, path);
    for (const root of [this.options.cwd, this.realCwd]) {
      const rel = relative(root, full);
      if (rel && !rel.startsWith("..") && !isAbsolute(rel)) return rel.split(sep).join("/");
    }
    return undefined;
  }

  private turnOff(error: unknown): void {
    if (this.closed) return; // a snapshot stopped by close(): not a failure
    const why = error instanceof Error ? error.message : String(error);
    if (!(error instanceof CheckpointError)) this.options.warn?.(`claw: checkpoint failed: ${why}`);
    if (this.disabled) return;
    this.disabled = why;
    this.options.warn?.(`claw: checkpoints are off for this session (${why}); /rewind cannot restore files.`);
  }
}

function skipped(snapshot: Snapshot): { skipped?: string[] } {
  return snapshot.skipped.length > 0 ? { skipped: snapshot.skipped } : {};
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
