// Building the page without innerHTML: every text goes in as text, so nothing from the API can
// become markup (the CSP forbids inline script as a second wall).

/** h('button', { class: 'primary', onclick }, '登录') */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Replaces what `parent` shows. */
export function show(parent, ...children) { parent.replaceChildren(...children.flat(Infinity).filter(Boolean)); }
