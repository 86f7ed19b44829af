// htmlcheck.mjs - a small well-formedness check of the HTML our writer produces: a tokenizer
// (not a full HTML5 parser) that wants every non-void element closed explicitly and in order,
// attributes quoted and unique per tag, character references well formed, ids unique in the
// page, and a label for every form control. Returns a list of problems (empty: well formed).

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta',
  'source', 'track', 'wbr']);
const RAW = new Set(['script', 'style']);
const UNLABELLED_INPUTS = new Set(['hidden', 'submit', 'button', 'image', 'reset']);
const NAME = /^[a-zA-Z][a-zA-Z0-9-]*/;

function lineOf(html, pos) {
  let n = 1;
  for (let i = 0; i < pos && i < html.length; i++) if (html.charCodeAt(i) === 10) n++;
  return n;
}

// attributes parses the inside of a start tag after its name; returns [map, problem|null].
function attributes(s) {
  const attrs = new Map();
  const re = /\s*([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/y;
  let i = 0;
  while (i < s.length) {
    if (/^\s*\/?\s*$/.test(s.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m || m[0].length === 0) return [attrs, `cannot read the attributes at "${s.slice(i, i + 30)}"`];
    const name = m[1].toLowerCase();
    if (attrs.has(name)) return [attrs, `attribute ${name} twice`];
    if (m[4] !== undefined) return [attrs, `attribute ${name} not quoted`];
    attrs.set(name, m[2] ?? m[3] ?? '');
    i = re.lastIndex;
  }
  return [attrs, null];
}

function checkText(text, at, problems, html) {
  const bad = text.match(/&(?!#[0-9]{1,7};|#x[0-9a-fA-F]{1,6};|[a-zA-Z][a-zA-Z0-9]{1,31};)/);
  if (bad) problems.push(`line ${lineOf(html, at + bad.index)}: bare "&" (not a character reference)`);
}

// checkHtml returns the problems of one HTML document.
export function checkHtml(html) {
  const problems = [];
  const stack = [];
  const ids = new Map();
  const labelFor = new Set();
  const controls = []; // {id, line, desc} of controls not wrapped in a label
  let i = 0;
  if (!/^<!doctype html>/i.test(html)) problems.push('no <!doctype html> at the start');
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    const textEnd = lt < 0 ? html.length : lt;
    checkText(html.slice(i, textEnd), i, problems, html);
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      if (end < 0) { problems.push(`line ${lineOf(html, lt)}: unclosed comment`); break; }
      i = end + 3;
      continue;
    }
    if (/^<!doctype/i.test(html.slice(lt, lt + 9))) {
      i = html.indexOf('>', lt) + 1;
      continue;
    }
    const closing = html[lt + 1] === '/';
    const nameMatch = NAME.exec(html.slice(lt + (closing ? 2 : 1), lt + 40));
    if (!nameMatch) {
      problems.push(`line ${lineOf(html, lt)}: "<" that starts no tag (unescaped?)`);
      i = lt + 1;
      continue;
    }
    const name = nameMatch[0].toLowerCase();
    const gt = html.indexOf('>', lt);
    if (gt < 0) { problems.push(`line ${lineOf(html, lt)}: unterminated tag <${name}`); break; }
    const line = lineOf(html, lt);
    if (closing) {
      if (VOID.has(name)) problems.push(`line ${line}: end tag of the void element ${name}`);
      else if (!stack.length) problems.push(`line ${line}: </${name}> closes nothing`);
      else if (stack[stack.length - 1] !== name) {
        problems.push(`line ${line}: </${name}> closes <${stack[stack.length - 1]}>`);
        const k = stack.lastIndexOf(name);
        if (k >= 0) stack.length = k;
      } else stack.pop();
      i = gt + 1;
      continue;
    }
    // a quoted attribute value may contain ">": find the real end of the tag
    let end = lt + 1 + name.length;
    let quote = null;
    for (; end < html.length; end++) {
      const c = html[end];
      if (quote) { if (c === quote) quote = null; } else if (c === '"' || c === "'") quote = c;
      else if (c === '>') break;
    }
    const inside = html.slice(lt + 1 + name.length, end);
    const [attrs, bad] = attributes(inside);
    if (bad) problems.push(`line ${line}: <${name}>: ${bad}`);
    for (const v of attrs.values()) checkText(v, lt, problems, html);
    if (attrs.has('id')) {
      const id = attrs.get('id');
      if (ids.has(id)) problems.push(`line ${line}: id "${id}" also on line ${ids.get(id)}`);
      else ids.set(id, line);
    }
    if (name === 'label' && attrs.has('for')) labelFor.add(attrs.get('for'));
    const isControl = name === 'select' || name === 'textarea' ||
      (name === 'input' && !UNLABELLED_INPUTS.has((attrs.get('type') || 'text').toLowerCase()));
    if (isControl && !stack.includes('label') && !attrs.has('aria-label') &&
        !attrs.has('aria-labelledby') && !attrs.has('title'))
      controls.push({ id: attrs.get('id'), line, desc: `<${name} name="${attrs.get('name') ?? ''}">` });
    i = end + 1;
    if (RAW.has(name)) {
      const close = html.toLowerCase().indexOf(`</${name}`, i);
      if (close < 0) { problems.push(`line ${line}: unclosed <${name}>`); break; }
      i = close;
      stack.push(name);
    } else if (!VOID.has(name)) {
      if (inside.trim().endsWith('/')) problems.push(`line ${line}: <${name} /> is not closed in HTML`);
      else stack.push(name);
    }
  }
  if (stack.length) problems.push(`unclosed at the end: <${stack.join('> <')}>`);
  for (const c of controls)
    if (!c.id || !labelFor.has(c.id)) problems.push(`line ${c.line}: ${c.desc} has no label`);
  return problems;
}
