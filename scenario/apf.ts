// API Priority and Fairness, simplified to one first-come-first-served queue
// per priority level and apiserver. Every request occupies one seat while it
// executes (watches only while they initialise). When all seats are busy a
// request waits for the earliest free seat; it is rejected with reason
// "time-out" if that wait would exceed the queue wait limit, and with
// "queue-full" if the queue already holds `queueLimit` requests. Real APF
// fair-queues per flow; with the seats held by long LISTs, requests of other
// flows in the same level still wait and time out, which is the collateral
// damage the scenario shows.

import { APF_QUEUE_WAIT_LIMIT_US } from "./cluster";
import { NumberHeap } from "./heap";

export type ApfDecision =
  | { kind: "dispatch"; startUs: number }
  | { kind: "queue-full" }
  | { kind: "time-out"; rejectUs: number };

export class PriorityLevelQueue {
  /** When each seat becomes free. */
  private readonly seatsFree = new NumberHeap();
  /** When each queued request leaves the queue (dispatch or time-out). */
  private readonly queued = new NumberHeap();

  constructor(
    seats: number,
    private readonly queueLimit: number,
  ) {
    for (let i = 0; i < Math.max(1, seats); i++) this.seatsFree.push(Number.NEGATIVE_INFINITY);
  }

  /** Decides the fate of a request arriving at `arrivalUs`; arrivals must come in time order. */
  admit(arrivalUs: number): ApfDecision {
    while (this.queued.size > 0 && this.queued.peek() <= arrivalUs) this.queued.pop();
    const startUs = Math.max(arrivalUs, this.seatsFree.peek());
    if (startUs === arrivalUs) return { kind: "dispatch", startUs };
    if (this.queued.size >= this.queueLimit) return { kind: "queue-full" };
    const rejectUs = arrivalUs + APF_QUEUE_WAIT_LIMIT_US;
    if (startUs > rejectUs) {
      this.queued.push(rejectUs);
      return { kind: "time-out", rejectUs };
    }
    this.queued.push(startUs);
    return { kind: "dispatch", startUs };
  }

  /** Occupies the seat handed out by the last `admit` until `freeUs`. */
  occupy(freeUs: number): void {
    this.seatsFree.replaceTop(freeUs);
  }
}
