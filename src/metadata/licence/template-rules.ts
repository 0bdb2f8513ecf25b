/**
 * What the SPDX matching templates (license-list-XML, not published on npm) mark in a licence
 * text and the plain texts of spdx-license-list do not: replaceable text (`<alt match=…>`) and
 * optional text (`<optional>`). Only the markup that real licence files need is encoded here,
 * each rule after the SPDX template of the licence it names, never looser: a replaceable span
 * must be replaced by words its `accept` pattern allows, so a clause that says something else
 * (the names "may be used to endorse") is still a different licence.
 */
export type TemplateSpan = {
  /** Character range of the plain SPDX text. */
  from: number;
  to: number;
  kind: 'variable' | 'optional';
  /** Normalised words (lower case, single spaces) that may stand for a variable. */
  accept?: RegExp;
};

type Rule = { licences: RegExp; find: RegExp; kind: TemplateSpan['kind']; accept?: RegExp };

const RULES: Rule[] = [
  {
    // BSD-3-Clause "organizationClause3": who may not be used to endorse the product, in the
    // spellings the SPDX template lists ("Neither the name of X nor the names of its
    // contributors may", "The names of X may not", "None of the names of X and any contributors may").
    licences: /^BSD-[34]-Clause/,
    find: /neither the names? of [^.]{1,200}? nor the names of (?:its|the) contributors may(?= be used to endorse)/gi,
    kind: 'variable',
    // Replaced by a subject that still forbids: "neither … nor … contributors may", "the names
    // of … may not", "none of the names of … may"; never "may" alone or "neither … may not".
    accept:
      /^(?:neither .{1,160} n?or the names of .{0,40}contributors may|(?:the )?names? of .{1,160} may not|none of the names of .{1,160} may)$/,
  },
  {
    // BSD-2-Clause-Views: whose official policies the views are not ("of the FreeBSD Project").
    licences: /^BSD-2-Clause-Views$/,
    find: /(?<=either expressed or implied, of )the copyright holders or contributors(?=\.)/g,
    kind: 'variable',
    accept: /^(?:\S+ ){0,7}\S+$/,
  },
  {
    // AFL-3.0: the paragraph introducing the licensing notice, and the notice, are optional.
    licences: /^AFL-3\.0$/,
    find: /This Academic Free License \(the "License"\) applies[\s\S]*?Licensed under the Academic Free License version 3\.0/g,
    kind: 'optional',
  },
  {
    // ISC: "and<optional>/or</optional> distribute".
    licences: /^ISC$/,
    find: /(?<=and\/)or(?= distribute)/g,
    kind: 'optional',
  },
  {
    // EPL-1.0: the opening sentence names the program ("Foo is provided under the terms of
    // this Eclipse Public License"); a name of a few words, nothing else.
    licences: /^EPL-1\.0$/,
    find: /THE ACCOMPANYING PROGRAM(?= IS PROVIDED UNDER THE TERMS)/g,
    kind: 'variable',
    accept: /^(?:\S+ ){0,5}\S+$/,
  },
  {
    // Creative Commons 4.0 licences: the notes on using CC licences before the licence and the
    // notice about Creative Commons after it are not part of the licence (SPDX `<optional>`).
    licences: /^CC-BY(?:-NC)?(?:-ND|-SA)?-4\.0$/,
    find: /Creative Commons Corporation \(“Creative Commons”\) is not a law firm[\s\S]*?considerations for the public\.|Creative Commons is not a party to its public licenses\.[\s\S]*$/g,
    kind: 'optional',
  },
  {
    // CC-BY-3.0: the disclaimer of Creative Commons Corporation before the licence and the word
    // "License" after it are `<optional>` in its template (the notice at the end is not).
    licences: /^CC-BY-3\.0$/,
    find: /CREATIVE COMMONS CORPORATION IS NOT A LAW FIRM[\s\S]*?DAMAGES RESULTING FROM ITS USE\.\s*License/g,
    kind: 'optional',
  },
  {
    // Unlicense: "This is free and unencumbered software" names the software in many copies.
    licences: /^Unlicense$/,
    find: /^This(?= is free and unencumbered software)/g,
    kind: 'variable',
    accept: /^(?:\S+ ){0,3}\S+$/,
  },
  {
    // Apache-1.1: the organisation named in clauses 3 and 4 (`organizationClause3/4`), clause 5
    // (`Clause5`: Apache's own copies name "Jakarta" and "Apache Commons" as examples), the
    // contact sentence and the closing paragraph about the Apache Software Foundation (optional).
    licences: /^Apache-1\.1$/,
    find: /(?<=software developed by )the Apache Software Foundation \(http:\/\/www\.apache\.org\/\)(?=\.")/g,
    kind: 'variable',
    accept: /^(?:\S+ ){0,9}\S+$/,
  },
  {
    // `nameClause4` ("name", "names" or "name(s)") with the organisation after it.
    licences: /^Apache-1\.1$/,
    find: /(?<=The )names "Apache" and "Apache Software Foundation"(?= must not be used)/g,
    kind: 'variable',
    accept: /^names?(?: s)? (?:\S+ ){0,9}\S+$/,
  },
  {
    // The optional contact ("For written permission, please contact apache@apache.org") and
    // clause 5 are one replaceable span here: two replaceable spans side by side would read as one.
    // Deviations from the template: the contact may be anyone (copies name their own, "please
    // contact the Go Gopher"; it grants nothing), and "For written permission" left out is a
    // 3-word change rather than a free omission.
    licences: /^Apache-1\.1$/,
    find: /please contact apache@apache\.org\.\s+5\. Products derived from this software may not be called "Apache" nor may "Apache" appear in their name, without prior written permission of the Apache Software Foundation\./g,
    kind: 'variable',
    accept:
      /^(?:please contact (?:\S+ ){0,5}?)?(?:products derived from this software may not be called .{1,120} nor may .{1,120} appear in their name without prior written permission of .{1,120}|products may not include .{1,120} in their name without prior written permission of .{1,120})$/,
  },
  {
    licences: /^Apache-1\.1$/,
    find: /This software consists of voluntary contributions[\s\S]*?Urbana-Champaign\./g,
    kind: 'optional',
  },
  {
    // WTFPL: the word is often written "F*CK" (the licence's own title on the SPDX list) or "F***".
    licences: /^WTFPL$/,
    find: /FUCK/g,
    kind: 'variable',
    accept: /^f(?:uck| ck)?$/,
  },
];

export function templateSpans(id: string, text: string): TemplateSpan[] {
  const spans: TemplateSpan[] = [];
  for (const rule of RULES) {
    if (!rule.licences.test(id)) continue;
    for (const match of text.matchAll(rule.find)) {
      spans.push({ from: match.index, to: match.index + match[0].length, kind: rule.kind, accept: rule.accept });
    }
  }
  return spans;
}
