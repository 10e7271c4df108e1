import { Injectable } from '@nestjs/common';

/** Whether this process accepts new work; false before listening and while draining. */
@Injectable()
export class Readiness {
  ready = false;
  reason = 'starting';

  set(ready: boolean, reason: string): void {
    this.ready = ready;
    this.reason = reason;
  }
}
