import { describe, expect, it } from 'vitest';
import { jcs } from '../../../src/domain/federation/jcs';

/**
 * Our own copies of RFC 8785's examples, so an upgrade of `canonicalize` that changes a byte of
 * the canonical form (and so every record proof) fails here first.
 */
describe('RFC 8785 canonical JSON', () => {
  it('reproduces the serialisation example of section 3.2.2 byte for byte', () => {
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    const expected = String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`;
    expect(jcs(JSON.parse(input))).toBe(expected);
  });

  it('orders properties by UTF-16 code units as in the sorting example of section 3.2.3', () => {
    const input = String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`;
    // Read the order off the text: parsing it back into an object would move "1" first.
    const order = [...jcs(JSON.parse(input)).matchAll(/:"([^"]*)"/g)].map((match) => match[1]);
    expect(order).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
  });

  it('writes numbers as ECMAScript does, including minus zero and the extremes of binary64', () => {
    const fromBits = (hex: string) => Buffer.from(hex, 'hex').readDoubleBE(0);
    expect(jcs([fromBits('0000000000000000'), fromBits('8000000000000000')])).toBe('[0,0]');
    expect(jcs([fromBits('0000000000000001'), fromBits('7fefffffffffffff')])).toBe('[5e-324,1.7976931348623157e+308]');
    expect(jcs([fromBits('4340000000000000'), fromBits('44b52d02c7e14af6')])).toBe('[9007199254740992,1e+23]');
  });

  it('refuses what has no JSON form instead of signing an empty text', () => {
    expect(() => jcs(undefined)).toThrow(TypeError);
    expect(() => jcs([Number.NaN])).toThrow();
    expect(() => jcs({ infinite: Number.POSITIVE_INFINITY })).toThrow();
  });

  it('gives the same text for objects that differ only in property order', () => {
    expect(jcs({ b: 1, a: { z: false, y: [1, 'x'] } })).toBe(jcs({ a: { y: [1, 'x'], z: false }, b: 1 }));
  });
});
