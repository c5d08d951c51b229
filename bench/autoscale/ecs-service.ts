import type { ServiceCounts } from '../../src/domain/scaling.js';
import { FargateStarts } from './fargate-starts.js';
import { randomStream, SALT } from './random.js';
import type { Scenario } from './scenario.js';
import type { SimulatedQueue } from './sqs-queue.js';

/**
 * A simulated ECS service whose tasks consume the queue, `messagesPerTask` messages at a time.
 *
 * Scale-in, as ECS does it: starting tasks are stopped first (newest first), then running ones, at
 * random. With task scale-in protection (World.protection) ECS stops only idle tasks; a busy one is
 * stopped when it finishes, if the service still has too many. Without it a busy task may be picked:
 * it gets the stop grace period to finish, and past that its work is lost (World.stop).
 */
interface Slot {
  message: number;
  attempt: number;
  startedAt: number;
  endsAt: number;
  lost: boolean;
}

type TaskState = 'pending' | 'running' | 'stopping';

interface SimulatedTask {
  state: TaskState;
  slots: (Slot | undefined)[];
}

export interface ServiceOptions {
  scenario: Scenario;
  queue: SimulatedQueue;
  schedule: (at: number, action: () => void) => void;
  clock: () => number;
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
  /** When a busy task was stopped with work it could not finish (one entry per message). */
  readonly interruptions: number[] = [];
  /** Tasks that cost money (starting, running or stopping), at each change. */
  readonly billed: Step[] = [];
  /** Tasks not yet stopped; a stopped task leaves the list, so long traces stay cheap. */
  private tasks: SimulatedTask[] = [];
  private lastDirection = 0;
  private readonly starts: FargateStarts;
  private readonly stopChoice: () => number;

  constructor(private readonly options: ServiceOptions) {
    this.stopChoice = randomStream(options.scenario.seed, SALT.stopChoice);
    this.starts = new FargateStarts(options.scenario);
    this.desired = options.initialDesired;
    // Tasks that already run when the trace starts (today's single ingester has for months).
    for (let count = 0; count < this.desired; count += 1) this.tasks.push({ state: 'running', slots: [] });
    this.recordBilled();
  }

  private get now(): number {
    return this.options.clock();
  }

  counts(): ServiceCounts {
    let running = 0;
    let pending = 0;
    for (const task of this.tasks) {
      if (task.state === 'running') running += 1;
      else if (task.state === 'pending') pending += 1;
    }
    return { desired: this.desired, running, pending };
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
    const { queue, scenario } = this.options;
    for (const task of this.tasks) {
      if (task.state !== 'running') continue;
      for (let slot = 0; slot < scenario.messagesPerTask && queue.visible > 0; slot += 1) {
        if (task.slots[slot] === undefined) this.receive(task, slot);
      }
    }
  }

  private recordBilled(): void {
    const value = this.tasks.length;
    if (this.billed.at(-1)?.at === this.now) this.billed.pop();
    if (this.billed.at(-1)?.value !== value) this.billed.push({ at: this.now, value });
  }

  private reconcile(): void {
    const active = this.tasks.filter((task) => task.state !== 'stopping');
    for (let missing = this.desired - active.length; missing > 0; missing -= 1) this.launch();
    let excess = active.length - this.desired;
    for (const task of active.filter((candidate) => candidate.state === 'pending').reverse()) {
      if (excess <= 0) break;
      this.stop(task);
      excess -= 1;
    }
    const { protection } = this.options.scenario;
    const candidates = active.filter((task) => task.state === 'running' && !(protection && this.isBusy(task)));
    // Protected busy tasks stop when they finish their work (finish → reconcile).
    while (excess > 0 && candidates.length > 0) {
      const [victim] = candidates.splice(Math.floor(this.stopChoice() * candidates.length), 1);
      if (victim !== undefined) this.stop(victim);
      excess -= 1;
    }
    this.recordBilled();
  }

  private isBusy(task: SimulatedTask): boolean {
    return task.slots.some((slot) => slot !== undefined && !slot.lost);
  }

  private launch(): void {
    const task: SimulatedTask = { state: 'pending', slots: [] };
    this.tasks.push(task);
    this.options.schedule(this.now + this.starts.next(this.now), () => {
      if (task.state !== 'pending') return; // stopped while starting
      task.state = 'running';
      this.recordBilled();
      this.dispatch();
    });
  }

  private remove(task: SimulatedTask): void {
    this.tasks = this.tasks.filter((candidate) => candidate !== task);
    this.recordBilled();
  }

  private stop(task: SimulatedTask): void {
    if (task.state === 'pending') {
      this.tasks = this.tasks.filter((candidate) => candidate !== task);
      task.state = 'stopping';
      return;
    }
    task.state = 'stopping';
    const { stop } = this.options.scenario;
    let stoppedAt = this.now;
    for (const slot of task.slots) {
      if (slot === undefined || slot.lost) continue;
      if (slot.endsAt - this.now <= stop.graceSeconds) {
        stoppedAt = Math.max(stoppedAt, slot.endsAt); // finishes within the grace period
        continue;
      }
      slot.lost = true;
      this.interruptions.push(this.now);
      stoppedAt = Math.max(stoppedAt, this.now + stop.graceSeconds);
      if (stop.handBack)
        this.options.schedule(this.now + stop.graceSeconds, () => {
          this.handBack(slot);
        });
    }
    this.options.schedule(stoppedAt, () => {
      this.remove(task);
    });
  }

  /** The entrypoint returns an unfinished message at once (visibility 0) instead of letting it time out. */
  private handBack(slot: Slot): void {
    if (this.options.queue.release(slot.message, slot.attempt, this.now)) this.dispatch();
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
      if (queue.release(received.index, received.attempt, this.now)) this.dispatch();
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
