import type { Scene } from '@stagecraft/sdk';

/** One inspector panel: it shows a scene while one is joined. */
export interface Panel {
  readonly element: HTMLElement;
  attach(scene: Scene): void;
  detach(): void;
}
