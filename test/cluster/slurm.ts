// A one-node Slurm cluster started by the test itself (no systemd): munged, slurmctld and slurmd
// on this host with a generated slurm.conf in a temporary folder, on free ports. Debian's
// slurm-wlm and munge are installed by scripts/test-packages.sh; without them this fails loudly.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, cpus } from 'node:os';
import { join } from 'node:path';

/** A port nobody listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function need(cmd: string): void {
  if (spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0) throw new Error(`${cmd} is not installed: run "bash scripts/test-packages.sh" (npm test does)`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SlurmCluster {
  private constructor(
    readonly dir: string,
    readonly env: NodeJS.ProcessEnv,
    private readonly pids: string[],
    private readonly mungePid: string | null,
  ) {}

  static async start(dir: string): Promise<SlurmCluster> {
    for (const cmd of ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'scontrol', 'scancel', 'sinfo']) need(cmd);
    const host = hostname();
    for (const sub of ['state', 'spool', 'log']) mkdirSync(join(dir, sub), { recursive: true });
    const [ctld, slurmd] = [await freePort(), await freePort()];
    const conf = join(dir, 'slurm.conf');
    writeFileSync(
      conf,
      [
        'ClusterName=l2exptest',
        `SlurmctldHost=${host}`,
        'SlurmUser=root',
        'SlurmdUser=root',
        'AuthType=auth/munge',
        'CredType=cred/munge',
        'MpiDefault=none',
        'ProctrackType=proctrack/linuxproc',
        'TaskPlugin=task/none',
        'SelectType=select/cons_tres',
        'SelectTypeParameters=CR_Core',
        'ReturnToService=2',
        // Finished jobs stay visible to scontrol for the test's checks (no accounting database).
        'MinJobAge=3600',
        'JobAcctGatherType=jobacct_gather/none',
        'AccountingStorageType=accounting_storage/none',
        `StateSaveLocation=${dir}/state`,
        `SlurmdSpoolDir=${dir}/spool`,
        `SlurmctldPidFile=${dir}/slurmctld.pid`,
        `SlurmdPidFile=${dir}/slurmd.pid`,
        `SlurmctldLogFile=${dir}/log/slurmctld.log`,
        `SlurmdLogFile=${dir}/log/slurmd.log`,
        `SlurmctldPort=${ctld}`,
        `SlurmdPort=${slurmd}`,
        `NodeName=${host} CPUs=${cpus().length} RealMemory=2000 State=UNKNOWN`,
        `PartitionName=test Nodes=${host} Default=YES MaxTime=INFINITE State=UP`,
      ].join('\n') + '\n',
    );
    const env = { ...process.env, SLURM_CONF: conf };
    const mungePid = startMunge();
    execFileSync('slurmctld', ['-f', conf], { env });
    execFileSync('slurmd', ['-f', conf], { env });
    const cluster = new SlurmCluster(dir, env, [join(dir, 'slurmd.pid'), join(dir, 'slurmctld.pid')], mungePid);
    for (let i = 0; i < 100; i++) {
      const state = spawnSync('sinfo', ['-h', '-o', '%T'], { env, encoding: 'utf8' }).stdout.trim();
      if (state === 'idle') return cluster;
      await sleep(200);
    }
    cluster.stop();
    throw new Error(`the Slurm node did not come up idle; see ${dir}/log`);
  }

  run(cmd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): string {
    return execFileSync(cmd, args, { env: { ...this.env, ...extraEnv }, encoding: 'utf8' });
  }

  /** A job's (or array task's) fields from scontrol, e.g. JobState and ExitCode. */
  job(id: string): Record<string, string> {
    const text = this.run('scontrol', ['show', 'job', '-o', id]);
    return Object.fromEntries(
      text
        .trim()
        .split(/\s+/)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    );
  }

  /** Waits until squeue lists nothing of the job. */
  async wait(jobId: string, timeoutMs = 300_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.run('squeue', ['-h', '-j', jobId]).trim() === '') return;
      await sleep(300);
    }
    throw new Error(`job ${jobId} still queued after ${timeoutMs} ms: ${this.run('squeue', [])}`);
  }

  /** Stops the daemons it started (slurmd, slurmctld, and munged if it was not running before). */
  stop(): void {
    const pidFiles = [...this.pids, ...(this.mungePid ? [this.mungePid] : [])];
    for (const file of pidFiles) {
      if (!existsSync(file)) continue;
      try {
        process.kill(Number(readFileSync(file, 'utf8').trim()), 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
}

/** Starts munged as its own user unless one runs; returns its pid file when this call started it. */
function startMunge(): string | null {
  if (spawnSync('pgrep', ['-x', 'munged']).status === 0) return null;
  const key = '/etc/munge/munge.key';
  for (const d of ['/run/munge', '/var/lib/munge', '/var/log/munge', '/etc/munge']) mkdirSync(d, { recursive: true });
  const uid = Number(execFileSync('id', ['-u', 'munge'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'munge'], { encoding: 'utf8' }));
  if (!existsSync(key)) writeFileSync(key, execFileSync('head', ['-c', '1024', '/dev/urandom']));
  for (const d of ['/run/munge', '/var/lib/munge', '/var/log/munge', '/etc/munge', key]) chownSync(d, uid, gid);
  chmodSync(key, 0o400);
  execFileSync('su', ['-s', '/bin/sh', 'munge', '-c', '/usr/sbin/munged']);
  return '/run/munge/munged.pid';
}
