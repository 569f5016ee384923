import { describe, it, expect } from 'vitest';
import {
  addQuantities,
  compareQuantity,
  ERR_QUANTITY_FORMAT,
  ERR_QUANTITY_NUMERIC,
  ERR_QUANTITY_SUFFIX,
  formatQuantity,
  isValidQuantity,
  parseQuantity,
  QuantityError,
  subtractQuantities,
  toBytes,
  toMilli,
  toNumber,
  milliQuantity,
  bytesQuantity,
} from './quantity.js';

describe('formatQuantity (canonical form)', () => {
  it.each([
    ['0', '0'],
    ['0Gi', '0'],
    ['0.0m', '0'],
    ['1', '1'],
    ['1.5', '1500m'],
    ['0.5', '500m'],
    ['100m', '100m'],
    ['1000m', '1'],
    ['1500m', '1500m'],
    ['2000m', '2'],
    ['0.1', '100m'],
    ['1.5Gi', '1536Mi'],
    ['1024Ki', '1Mi'],
    ['1Gi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['512Mi', '512Mi'],
    ['1000Ki', '1000Ki'],
    ['0.5Ki', '512'],
    ['1023', '1023'],
    ['1500', '1500'],
    ['2000', '2k'],
    ['128974848', '128974848'],
    ['129M', '129M'],
    ['2e3', '2e3'],
    ['1E3', '1e3'],
    ['1.5e3', '1500'],
    ['1e-3', '1e-3'],
    ['1k', '1k'],
    ['1000k', '1M'],
    ['1n', '1n'],
    ['1u', '1u'],
    ['1000u', '1m'],
    ['0.0000000001', '1n'],
    ['-1.5', '-1500m'],
    ['+2', '2'],
    ['1.', '1'],
    ['.5', '500m'],
    ['1Ei', '1Ei'],
    ['1024Ei', '1024Ei'],
    ['12E', '12E'],
  ])('%s -> %s', (input, want) => {
    expect(formatQuantity(parseQuantity(input))).toBe(want);
  });

  it.each([
    [1.5, '1500m'],
    [2, '2'],
    [0.25, '250m'],
  ])('number %s -> %s', (input, want) => {
    expect(formatQuantity(input)).toBe(want);
  });
});

describe('parseQuantity errors', () => {
  it.each([
    ['', ERR_QUANTITY_FORMAT],
    ['abc', ERR_QUANTITY_FORMAT],
    ['1.2.3', ERR_QUANTITY_FORMAT],
    ['1 Gi', ERR_QUANTITY_FORMAT],
    ['1Gb', ERR_QUANTITY_FORMAT],
    ['-', ERR_QUANTITY_NUMERIC],
    ['.', ERR_QUANTITY_NUMERIC],
    ['1K', ERR_QUANTITY_SUFFIX],
    ['1e', ERR_QUANTITY_SUFFIX],
    ['1mm', ERR_QUANTITY_SUFFIX],
    ['1Ki3', ERR_QUANTITY_SUFFIX],
  ])('%j -> %s', (input, message) => {
    expect(() => parseQuantity(input)).toThrow(QuantityError);
    expect(() => parseQuantity(input)).toThrow(message);
    expect(isValidQuantity(input)).toBe(false);
  });

  it('isValidQuantity accepts good strings and rejects non-strings', () => {
    expect(isValidQuantity('100m')).toBe(true);
    expect(isValidQuantity(3)).toBe(true);
    expect(isValidQuantity(null)).toBe(false);
    expect(isValidQuantity({})).toBe(false);
  });
});

describe('conversions', () => {
  it.each([
    ['100m', 100, 1, 0.1],
    ['1', 1000, 1, 1],
    ['1.5', 1500, 2, 1.5],
    ['0.0001', 1, 1, 0.0001],
    ['1Gi', 1073741824000, 1073741824, 1073741824],
    ['128Mi', 134217728000, 134217728, 134217728],
    ['1n', 1, 1, 1e-9],
    ['-1.5', -1500, -2, -1.5],
  ])('%s: milli %d, bytes %d, number %d', (input, milli, bytes, num) => {
    expect(toMilli(input)).toBe(milli);
    expect(toBytes(input)).toBe(bytes);
    expect(toNumber(input)).toBeCloseTo(num, 12);
  });

  it.each([
    [milliQuantity(250), '250m'],
    [milliQuantity(2000), '2'],
    [bytesQuantity(1073741824), '1Gi'],
    [bytesQuantity(1000), '1k'],
  ])('builders format as %s', (quantity, want) => {
    expect(formatQuantity(quantity)).toBe(want);
  });
});

describe('compare and add', () => {
  it.each([
    ['1', '1000m', 0],
    ['1Gi', '1G', 1],
    ['100m', '0.2', -1],
    ['1Ki', '1024', 0],
    ['-1', '0', -1],
  ])('compare(%s, %s) = %d', (a, b, want) => {
    expect(compareQuantity(a, b)).toBe(want);
  });

  it.each([
    [['100m', '200m'], '300m'],
    [['0.1', '0.2'], '300m'],
    [['1Gi', '512Mi'], '1536Mi'],
    [['0', '1Gi'], '1Gi'],
    [['1', '1Gi'], '1073741825'],
    [[], '0'],
  ])('add(%j) = %s', (items, want) => {
    expect(formatQuantity(addQuantities(...items))).toBe(want);
  });

  it('subtracts exactly', () => {
    expect(formatQuantity(subtractQuantities('1', '100m'))).toBe('900m');
    expect(formatQuantity(subtractQuantities('1Gi', '512Mi'))).toBe('512Mi');
  });
});
