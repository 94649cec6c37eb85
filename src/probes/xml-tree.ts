// An element tree (elements, attributes and text) over fast-xml-parser, for
// the machine-written XML of Pacemaker's tools (crm_mon --output-as=xml, the
// CIB, cibadmin). Shared by the Pacemaker probe and the lab.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** Malformed XML, with the offset of the trouble for the raw snippet. */
export class XmlProblem extends Error {
  constructor(
    message: string,
    readonly offset = 0,
  ) {
    super(message);
  }
}

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: XmlElement[];
}

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML 1.0's Char: no reference may stand for a control character (but tab, LF, CR) or a surrogate. */
const isXmlChar = (cp: number) =>
  cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);

// A reference to no character stays as written: visible, and no escape sequence reaches the screen.
function fromCodePoint(digits: string, radix: number): string | undefined {
  const cp = parseInt(digits, radix);
  return isXmlChar(cp) ? String.fromCodePoint(cp) : undefined;
}

/**
 * The text an XML reference stands for: the five predefined entities and
 * numeric character references, the only ones libxml2 writes (Pacemaker's
 * tools write every non-ASCII character as `&#xE9;`). Anything else, e.g. an
 * entity a DOCTYPE would declare, stays as written.
 */
export function decodeXmlReferences(text: string): string {
  return text.replace(/&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(lt|gt|amp|quot|apos));/g, (ref, hex?: string, dec?: string, name?: string) =>
    (name ? PREDEFINED[name] : hex ? fromCodePoint(hex, 16) : fromCodePoint(dec!, 10)) ?? ref,
  );
}

// fast-xml-parser decodes numeric references only with its deprecated
// htmlEntities, which also brings HTML's named entities; this decoder is XML's.
const xmlReferences = {
  decode: decodeXmlReferences,
  setExternalEntities: () => {},
  addInputEntities: () => {},
  reset: () => {},
  setXmlVersion: () => {},
};

// preserveOrder keeps resources in crm_mon's order whatever their kind.
const parser = new XMLParser({
  entityDecoder: xmlReferences,
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

function toElements(nodes: OrderedNode[]): XmlElement[] {
  const elements: XmlElement[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((k) => k !== ':@');
    if (!name || name.startsWith('#')) continue;
    const inner = (node[name] ?? []) as OrderedNode[];
    const text = inner.map((n) => (typeof n['#text'] === 'string' ? n['#text'] : '')).join('');
    elements.push({ name, attrs: { ...(node[':@'] ?? {}) }, text, children: toElements(inner) });
  }
  return elements;
}

function offsetOf(xml: string, line: number, col: number): number {
  let offset = 0;
  for (let l = 1; l < line && offset >= 0; l++) offset = xml.indexOf('\n', offset) + 1;
  return Math.max(0, offset + col - 1);
}

/** The root element; `what` names the document in errors. */
export function parseXml(xml: string, what = 'XML'): XmlElement {
  const start = xml.indexOf('<');
  if (start < 0) throw new XmlProblem(`${what}: no XML element in the output`);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    throw new XmlProblem(`${what}: XML not well-formed at line ${line}: ${msg}`, offsetOf(xml, line, col));
  }
  const [root] = toElements(parser.parse(xml) as OrderedNode[]);
  if (!root) throw new XmlProblem(`${what}: no XML element in the output`, start);
  return root;
}

/** The first child element called `name`. */
export const child = (el: XmlElement | undefined, name: string) => el?.children.find((c) => c.name === name);
/** Every child element called `name`. */
export const childrenNamed = (el: XmlElement | undefined, name: string) => el?.children.filter((c) => c.name === name) ?? [];
/** Every element called `name` below `el`, depth first. */
export const descendants = (el: XmlElement, name: string): XmlElement[] =>
  el.children.flatMap((c) => [...(c.name === name ? [c] : []), ...descendants(c, name)]);
