// An element tree (elements and attributes; text and comments dropped) over
// fast-xml-parser, for the machine-written XML of Pacemaker's tools
// (crm_mon --output-as=xml, the CIB).
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
}

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({
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
    if (!name || name === '#text' || name === '#comment') continue;
    elements.push({ name, attrs: { ...(node[':@'] ?? {}) }, children: toElements(node[name] as OrderedNode[]) });
  }
  return elements;
}

/** The root element; throws when the document is empty or not well-formed. */
export function parseXml(xml: string): XmlElement {
  if (!xml.includes('<')) throw new Error('no XML element in the document');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`XML not well-formed at line ${valid.err.line}: ${valid.err.msg}`);
  const [root] = toElements(parser.parse(xml) as OrderedNode[]);
  if (!root) throw new Error('no XML element in the document');
  return root;
}

/** The first child element called `name`. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** Every child element called `name`. */
export function childrenNamed(el: XmlElement | undefined, name: string): XmlElement[] {
  return el?.children.filter((c) => c.name === name) ?? [];
}

/** Every element called `name` below `el`, depth first. */
export function descendants(el: XmlElement, name: string): XmlElement[] {
  return el.children.flatMap((c) => [...(c.name === name ? [c] : []), ...descendants(c, name)]);
}
