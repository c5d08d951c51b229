import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';

/**
 * A network namespace for the containers, like a Fargate task's (awsvpc): its own loopback, so nginx
 * can listen on 8000 whatever runs on this machine, and a veth pair to this host, where the tests'
 * fakes (AWS emulator, ECS agent) listen on `hostIp` and reach the containers on `taskIp`.
 */
export class TaskNetwork {
  private constructor(
    private readonly holder: ChildProcess,
    private readonly hostSide: string,
    readonly hostIp: string,
    readonly taskIp: string,
  ) {}

  /** What `nsenter --net=` takes to run a process inside. */
  get namespace(): string {
    return `/proc/${String(this.holder.pid)}/ns/net`;
  }

  static async create(): Promise<TaskNetwork> {
    // The namespace lives as long as this process reads its stdin: it ends with the test run.
    const holder = spawn('unshare', ['--net', '--', 'sh', '-c', 'ip link set lo up && echo up && read -r _'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    await new Promise<void>((up, failed) => {
      holder.stdout.once('data', () => {
        up();
      });
      holder.once('exit', (code) => {
        failed(new Error(`unshare --net exited with ${String(code)}`));
      });
    });
    // A random /30 in 10.200.0.0/13 and random interface names: runs side by side do not collide.
    const subnet = randomInt(0, 1 << 17) * 4;
    const ip = (offset: number) =>
      `10.${String(200 + ((subnet >> 16) & 7))}.${String((subnet >> 8) & 255)}.${String((subnet & 255) + offset)}`;
    const name = `cdt${randomInt(0, 1 << 24).toString(16)}`;
    const network = new TaskNetwork(holder, `${name}h`, ip(1), ip(2));
    const inside = ['nsenter', `--net=${network.namespace}`];
    for (const command of [
      ['ip', 'link', 'add', `${name}h`, 'type', 'veth', 'peer', 'name', `${name}c`, 'netns', network.namespace],
      ['ip', 'addr', 'add', `${network.hostIp}/30`, 'dev', `${name}h`],
      ['ip', 'link', 'set', `${name}h`, 'up'],
      [...inside, 'ip', 'addr', 'add', `${network.taskIp}/30`, 'dev', `${name}c`],
      [...inside, 'ip', 'link', 'set', `${name}c`, 'up'],
    ]) {
      const [program = '', ...args] = command;
      const result = spawnSync(program, args, { encoding: 'utf8' });
      if (result.status !== 0) {
        network.close();
        throw new Error(`${command.join(' ')} failed: ${result.stderr}`);
      }
    }
    return network;
  }

  /** Ends the namespace; the veth pair goes with it. */
  close(): void {
    spawnSync('ip', ['link', 'del', this.hostSide]);
    this.holder.stdin?.end();
    this.holder.kill();
  }
}
