/** Creates an element with attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/** A titled panel section. */
export function section(title: string, id: string, wide = false): HTMLElement {
  return el('section', { id, class: wide ? 'wide' : '' }, el('h2', {}, title));
}
