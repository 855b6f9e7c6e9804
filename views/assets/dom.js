// DOM building without innerHTML: every piece of data reaches the page as a text node or an attribute value.
// @ts-check

const SVG_NS = 'http://www.w3.org/2000/svg';
let idCounter = 0;

/**
 * Attribute values: `class` may be a list (falsy entries dropped), `dataset` an object, `on…` a listener; `value`,
 * `checked`, `disabled` and `selected` are set as properties; null, undefined and false leave the attribute out.
 * @typedef {string | number | boolean | null | undefined | Array<string | false | null | undefined>
 *   | Record<string, string> | ((event: Event) => unknown)} AttrValue
 * @typedef {Record<string, AttrValue>} Attrs
 */
/**
 * Children: nodes as they are, anything else as text; null, undefined and false are skipped; arrays are flattened.
 * @typedef {Node | string | number | boolean | null | undefined | ChildList} Child
 * @typedef {Child[]} ChildList
 */

/** A unique id for label/aria wiring: `uid('tpl')` → "tpl-7". */
export function uid(prefix = 'id') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/**
 * @param {HTMLElement} node
 * @param {Attrs | null | undefined} attrs
 */
function apply(node, attrs) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : String(value));
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'value' || key === 'checked' || key === 'disabled' || key === 'selected') Object.assign(node, { [key]: value });
    else node.setAttribute(key, value === true ? '' : String(value));
  }
}

/**
 * @param {Element} node
 * @param {ChildList} children
 */
function append(node, children) {
  for (const child of /** @type {unknown[]} */ (children).flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * `h('p', { class: 'x' }, 'text', childNode)`; strings become text nodes, null/false children are skipped.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs | null} [attrs]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  apply(node, attrs);
  append(node, children);
  return node;
}

/**
 * The SVG twin of h().
 * @template {keyof SVGElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | number | boolean | null | undefined> | null} [attrs]
 * @param {...Child} children
 * @returns {SVGElementTagNameMap[K]}
 */
export function s(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(key, String(value));
  }
  append(node, children);
  return node;
}

/**
 * Replaces a node's children.
 * @template {Element} T
 * @param {T} node
 * @param {...Child} children
 * @returns {T}
 */
export function replaceChildren(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/**
 * Calls `fn` once `ms` have passed without another call.
 * @template {unknown[]} A
 * @param {(...args: A) => unknown} fn
 * @param {number} ms
 */
export function debounce(fn, ms) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @param {A} args */
  const debounced = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}

/**
 * An inline icon from a small fixed set (paths are constants, never data); an unknown name draws `info`.
 * @param {string} name
 * @param {number} [size]
 */
export function icon(name, size = 18) {
  /** @type {Record<string, string>} */
  const paths = {
    check: 'M5 12.5l4.5 4.5L19 7.5',
    alert: 'M12 8v5m0 3.5v.01M10.3 3.9L2.4 18a2 2 0 001.7 3h15.8a2 2 0 001.7-3L13.7 3.9a2 2 0 00-3.4 0z',
    info: 'M12 16v-5m0-3.5v.01M12 21a9 9 0 100-18 9 9 0 000 18z',
    phone: 'M5 4h4l2 5-2.5 1.5a11 11 0 005 5L15 13l5 2v4a2 2 0 01-2 2A16 16 0 013 6a2 2 0 012-2z',
    chat: 'M4 5h16v11H8l-4 4V5z',
    clock: 'M12 7v5l3 2M12 21a9 9 0 100-18 9 9 0 000 18z',
    x: 'M6 6l12 12M18 6L6 18',
    send: 'M4 12l16-8-6 16-2.5-6.5L4 12z',
    shield: 'M12 3l8 3v6c0 4.5-3.4 8.3-8 9-4.6-.7-8-4.5-8-9V6l8-3z',
    plus: 'M12 5v14M5 12h14',
  };
  return s('svg', { class: 'icon', width: size, height: size, viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' },
    s('path', { d: paths[name] ?? paths.info, fill: 'none', stroke: 'currentColor', 'stroke-width': 2, 'stroke-linecap': 'round', 'stroke-linejoin': 'round' }));
}
