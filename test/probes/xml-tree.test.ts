// The XML element tree shared by the Pacemaker probe and the lab: references
// decoded as XML defines them, nothing more.
import { describe, expect, it } from 'vitest';
import { decodeXmlReferences, parseXml } from '../../src/probes/xml-tree.js';

describe('XML references', () => {
  it('decodes the predefined entities and numeric references, as libxml2 writes them', () => {
    // How crm_mon 2.1.5 writes a node named nœud-é1 and an emoji.
    const root = parseXml('<node name="n&#x153;ud-&#xE9;1" note="&#128512; &lt;&amp;&gt; &quot;x&quot; &apos;y&apos;">caf&#233;</node>');
    expect(root.attrs).toEqual({ name: 'nœud-é1', note: '😀 <&> "x" \'y\'' });
    expect(root.text).toBe('café');
  });

  it('leaves a reference to no XML character as written: controls, surrogates, out of range', () => {
    expect(decodeXmlReferences('a&#x1B;]0;t&#7;b &#xD800; &#x110000; &#x0A;')).toBe('a&#x1B;]0;t&#7;b &#xD800; &#x110000; \n');
  });

  it('expands no entity a DOCTYPE declares, nor HTML names', () => {
    const root = parseXml('<!DOCTYPE r [<!ENTITY big "xxxxxxxx">]><r a="&big;&nbsp;">&big;</r>');
    expect([root.attrs.a, root.text]).toEqual(['&big;&nbsp;', '&big;']);
  });
});
