import { describe, expect, it } from 'vitest';
import { missingCase } from './missing-case.js';

type Shape = { kind: 'circle'; r: number } | { kind: 'square'; side: number };

function area(shape: Shape): number {
  switch (shape.kind) {
    case 'circle':
      return Math.PI * shape.r ** 2;
    case 'square':
      return shape.side ** 2;
    default:
      return missingCase(shape);
  }
}

function onlyCircles(shape: Shape): number {
  switch (shape.kind) {
    case 'circle':
      return shape.r;
    default:
      // @ts-expect-error -- 'square' has no case, so the value is not `never`: the type check fails here.
      return missingCase(shape);
  }
}

describe('missingCase', () => {
  it('lets an exhaustive switch through and names a value no case handled', () => {
    expect(area({ kind: 'square', side: 3 })).toBe(9);
    expect(() => area({ kind: 'triangle' } as unknown as Shape)).toThrow('Unhandled case: {"kind":"triangle"}');
    expect(() => onlyCircles({ kind: 'square', side: 1 })).toThrow('Unhandled case: {"kind":"square","side":1}');
  });
});
