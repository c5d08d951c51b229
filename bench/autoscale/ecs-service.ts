import type { ServiceCounts } from '../../src/domain/scaling.js';
import { normal, randomStream, SALT } from './random.js';
import type { Scenario } from './scenario.js';
import type { SimulatedQueue } from './sqs-queue.js';

/**
 * A simulated ECS service whose tasks consume the queue, `messagesPerTask` messages at a time.
 *
 * Scale-in, as ECS does it: starting tasks are stopped first (newest first), then running ones.
 * - With task scale-in protection (the conductor's ingester holds it while busy), ECS stops only
 *   idle tasks; a busy one is stopped when it finishes, if the service still has too many.
 * - Without it (the baselines' plain consumers), ECS picks running tasks regardless of their work.
 *   A busy task gets SIGTERM; work that needs longer than the stop timeout is lost, and its message
 *   comes back only when its visibility timeout passes.
 */
interface Slot {
  message: number;
  attempt: number;
  startedAt: number;
  endsAt: number;
  lost: boolean;
}

type TaskState = 'pending' | 'running' | 'stopping' | 'stopped';

interface SimulatedTask {
  id: number;
  state: TaskState;
  slots: (Slot | undefined)[];
}

export interface ServiceOptions {
  scenario: Scenario;
  queue: SimulatedQueue;
  schedule: (at: number, action: () => void) => void;
  clock: () => number;
  protectsBusyTasks: boolean;
  initialDesired: number;
}

export interface Step {
  at: number;
  value: number;
}

export class SimulatedService {
  desired: number;
  updateServiceCalls = 0;
  reversals = 0;
  interrupted = 0;
  /** Tasks that cost money (starting, running or stopping), at each change. */
  readonly billed: Step[] = [];
  private readonly tasks: SimulatedTask[] = [];
  private lastDirection = 0;
  private readonly startLatency: () => number;
  private readonly stopChoice: () => number;

  constructor(private readonly options: ServiceOptions) {
    const { seed } = options.scenario;
    const random = randomStream(seed, SALT.startLatency);
    const { minSeconds, medianSeconds, maxSeconds } = options.scenario.startLatency;
    this.startLatency = () =>
      Math.min(maxSeconds, Math.max(minSeconds, medianSeconds * Math.exp(0.35 * normal(random))));
    this.stopChoice = randomStream(seed, SALT.stopChoice);
    this.desired = options.initialDesired;
    // Tasks that already run when the trace starts (today's single ingester has for months).
    for (let count = 0; count < this.desired; count += 1) this.addTask('running');
    this.recordBilled();
  }

  private get now(): number {
    return this.options.clock();
  }

  counts(): ServiceCounts {
    const inState = (state: TaskState) => this.tasks.filter((task) => task.state === state).length;
    return { desired: this.desired, running: inState('running'), pending: inState('pending') };
  }

  /** One UpdateService call with a new desired count. */
  update(desiredCount: number): void {
    const target = Math.max(0, Math.round(desiredCount));
    if (target === this.desired) return;
    const direction = Math.sign(target - this.desired);
    if (this.lastDirection !== 0 && direction !== this.lastDirection) this.reversals += 1;
    this.lastDirection = direction;
    this.updateServiceCalls += 1;
    this.desired = target;
    this.reconcile();
  }

  /** Running tasks with a free slot receive the oldest visible messages. */
  dispatch(): void {
    for (const task of this.tasks) {
      if (task.state !== 'running') continue;
      for (let slot = 0; slot < this.options.scenario.messagesPerTask && this.options.queue.visible > 0; slot += 1) {
        if (task.slots[slot] === undefined) this.receive(task, slot);
      }
    }
  }

  private addTask(state: TaskState): SimulatedTask {
    const task: SimulatedTask = { id: this.tasks.length, state, slots: [] };
    this.tasks.push(task);
    return task;
  }

  private recordBilled(): void {
    const value = this.tasks.filter((task) => task.state !== 'stopped').length;
    if (this.billed.at(-1)?.at === this.now) this.billed.pop();
    if (this.billed.at(-1)?.value !== value) this.billed.push({ at: this.now, value });
  }

  private reconcile(): void {
    const active = this.tasks.filter((task) => task.state === 'pending' || task.state === 'running');
    for (let missing = this.desired - active.length; missing > 0; missing -= 1) this.launch();
    let excess = active.length - this.desired;
    const pending = active.filter((task) => task.state === 'pending').reverse();
    for (const task of pending.slice(0, Math.max(0, excess))) this.stop(task);
    excess -= pending.length;
    while (excess > 0) {
      const candidates = active.filter(
        (task) => task.state === 'running' && (!this.options.protectsBusyTasks || !this.isBusy(task)),
      );
      if (candidates.length === 0) break; // protected tasks stop when they finish their work
      const victim = this.options.protectsBusyTasks
        ? candidates.at(-1)
        : candidates[Math.floor(this.stopChoice() * candidates.length)];
      if (victim === undefined) break;
      this.stop(victim);
      excess -= 1;
    }
    this.recordBilled();
  }

  private isBusy(task: SimulatedTask): boolean {
    return task.slots.some((slot) => slot !== undefined && !slot.lost);
  }

  private launch(): void {
    const task = this.addTask('pending');
    this.options.schedule(this.now + this.startLatency(), () => {
      if (task.state !== 'pending') return; // stopped while starting
      task.state = 'running';
      this.recordBilled();
      this.dispatch();
    });
  }

  private stop(task: SimulatedTask): void {
    if (task.state === 'pending') {
      task.state = 'stopped';
      return;
    }
    task.state = 'stopping';
    const { stopTimeoutSeconds } = this.options.scenario;
    let stoppedAt = this.now;
    for (const slot of task.slots) {
      if (slot === undefined) continue;
      if (slot.endsAt - this.now <= stopTimeoutSeconds) {
        stoppedAt = Math.max(stoppedAt, slot.endsAt); // finishes within the grace period
      } else {
        slot.lost = true; // the message stays in flight until its visibility timeout
        this.interrupted += 1;
        stoppedAt = Math.max(stoppedAt, this.now + stopTimeoutSeconds);
      }
    }
    this.options.schedule(stoppedAt, () => {
      task.state = 'stopped';
      this.recordBilled();
    });
  }

  private receive(task: SimulatedTask, slotIndex: number): void {
    const { queue, scenario } = this.options;
    const received = queue.receive(this.now);
    if (received === undefined) return;
    const message = queue.messages[received.index];
    if (message === undefined) return;
    const slot: Slot = {
      message: received.index,
      attempt: received.attempt,
      startedAt: this.now,
      endsAt: this.now + message.processing,
      lost: false,
    };
    task.slots[slotIndex] = slot;
    this.options.schedule(this.now + Math.max(1, scenario.visibilityTimeoutSeconds), () => {
      if (queue.expire(received.index, received.attempt, this.now)) this.dispatch();
    });
    this.options.schedule(slot.endsAt, () => {
      this.finish(task, slotIndex, slot);
    });
  }

  private finish(task: SimulatedTask, slotIndex: number, slot: Slot): void {
    if (slot.lost || task.slots[slotIndex] !== slot) return;
    task.slots[slotIndex] = undefined;
    this.options.queue.complete(slot.message, slot.startedAt, this.now);
    if (task.state === 'running') {
      // An idle task lost its protection: ECS now stops it if the service has too many.
      this.reconcile();
      this.dispatch();
    }
  }
}
