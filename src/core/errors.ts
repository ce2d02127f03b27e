// One rule for every failure the engine reports: an InputError is something the user must fix
// (a config, a data file, an argument, a results folder): its message names the path and what
// to do, and the CLI exits 2. Anything else is a failed run (exit 1). Neither prints a stack.

/** Bad input the user must fix; the message holds the path and the remedy. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A file-system error (ENOSPC, EACCES, ENOTDIR, …) in words with the path it concerns and
 * what to do: Node's own text ("ENOSPC: no space left on device, write") names neither.
 */
export function describeFsError(err: unknown, path?: string): string | null {
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.code !== 'string' || !e.code.startsWith('E')) return null;
  const where = e.path ?? path ?? 'a file';
  switch (e.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `${where}: no space left on the device (or over quota); free space there, then run the same command again to resume`;
    case 'EACCES':
    case 'EPERM':
      return `${where}: permission denied; make it writable (or readable) for this user, or choose another folder`;
    case 'EROFS':
      return `${where}: the file system is read-only; choose a writable folder`;
    case 'ENOENT':
      return `${where}: no such file or folder`;
    case 'ENOTDIR':
      return `${where}: a part of this path is a file, not a folder; choose another path`;
    case 'EISDIR':
      return `${where}: is a folder, where a file was expected`;
    case 'EEXIST':
      return `${where}: already exists`;
    case 'EMFILE':
    case 'ENFILE':
      return `${where}: too many open files; raise the limit (ulimit -n) or use fewer workers`;
    case 'EIO':
      return `${where}: input/output error from the device; check the disk`;
    default:
      return `${where}: ${e.code} (${e.message})`;
  }
}

/**
 * A run that could not go on for a reason outside the engine (a full disk, a revoked
 * permission): the message holds the path and the remedy; the CLI exits 1 without a stack.
 */
export class RunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
