import { availableParallelism, cpus, loadavg, release, totalmem, type } from 'node:os';

/** What a figure was measured on: every benchmark prints it next to its numbers. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  /** 1-, 5- and 15-minute load averages when the run started: other work shares this machine. */
  load: [number, number, number];
}

export function describeMachine(): Machine {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: availableParallelism(),
    memoryGiB: totalmem() / 2 ** 30,
    node: process.version,
    os: `${type()} ${release()}`,
    load: [one, five, fifteen],
  };
}

/** One line: `machine: AMD EPYC, 2 cores, 23.5 GiB, Node v20.20.2, Linux 6.8.0; load 3.5 / 4.2 / 4.1`. */
export function machineLine(machine: Machine = describeMachine()): string {
  const load = machine.load.map((value) => value.toFixed(1)).join(' / ');
  return `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB.toFixed(1)} GiB, Node ${machine.node}, ${machine.os}; load ${load} (1/5/15 min)`;
}
