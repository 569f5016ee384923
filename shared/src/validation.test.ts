import { describe, it, expect } from 'vitest';
import {
  isCIdentifier,
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isInRange,
  isQualifiedName,
  isValidCIDR,
  isValidIP,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  totalAnnotationSize,
  totalAnnotationSizeOk,
} from './validation.js';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const QNAME_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

type Validator = (v: string) => string[];

describe('string validators', () => {
  it.each<[string, Validator, string, string[]]>([
    ['subdomain ok', isDNS1123Subdomain, 'example.com', []],
    ['subdomain digits', isDNS1123Subdomain, '123', []],
    ['subdomain upper', isDNS1123Subdomain, 'Example.com', [SUBDOMAIN_MSG]],
    ['subdomain trailing dot', isDNS1123Subdomain, 'a.', [SUBDOMAIN_MSG]],
    ['subdomain empty', isDNS1123Subdomain, '', [SUBDOMAIN_MSG]],
    ['subdomain too long', isDNS1123Subdomain, 'a'.repeat(254), ['must be no more than 253 characters']],
    ['label ok', isDNS1123Label, 'my-name', []],
    ['label leading digit ok', isDNS1123Label, '1abc', []],
    ['label dot', isDNS1123Label, 'a.b', [LABEL_MSG]],
    ['label too long', isDNS1123Label, 'a'.repeat(64), ['must be no more than 63 characters']],
    ['dns1035 ok', isDNS1035Label, 'my-svc', []],
    ['dns1035 leading digit', isDNS1035Label, '1svc', [DNS1035_MSG]],
    ['dns1035 trailing dash', isDNS1035Label, 'svc-', [DNS1035_MSG]],
    ['qualified ok', isQualifiedName, 'app', []],
    ['qualified with prefix', isQualifiedName, 'example.com/My_Name.x', []],
    ['qualified bad name', isQualifiedName, 'app!', [QNAME_MSG]],
    ['qualified empty prefix', isQualifiedName, '/app', ['prefix part must be non-empty']],
    ['qualified empty name', isQualifiedName, 'a.io/', ['name part must be non-empty', QNAME_MSG]],
    ['qualified bad prefix', isQualifiedName, 'A.io/x', [`prefix part ${SUBDOMAIN_MSG}`]],
    ['qualified long name', isQualifiedName, 'a'.repeat(64), ['name part must be no more than 63 characters']],
    ['label value empty ok', isValidLabelValue, '', []],
    ['label value ok', isValidLabelValue, 'My_value-1.2', []],
    ['port name ok', isValidPortName, 'http-alt', []],
    ['port name upper', isValidPortName, 'HTTP', ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'must contain at least one letter (a-z)']],
    ['port name digits', isValidPortName, '8080', ['must contain at least one letter (a-z)']],
    ['port name double dash', isValidPortName, 'a--b', ['must not contain consecutive hyphens (-)']],
    ['port name edge dash', isValidPortName, '-ab', ['must not begin or end with a hyphen (-)']],
    ['port name too long', isValidPortName, 'a'.repeat(16), ['must be no more than 15 characters']],
    ['ip v4', isValidIP, '10.0.0.1', []],
    ['ip v6', isValidIP, '2001:db8::1', []],
    ['ip bad', isValidIP, '10.0.0.256', ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['cidr ok', isValidCIDR, '10.96.0.0/12', []],
    ['cidr v6 ok', isValidCIDR, '2001:db8::/64', []],
    ['cidr no bits', isValidCIDR, '10.0.0.0', ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']],
    ['cidr too many bits', isValidCIDR, '10.0.0.0/33', ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']],
    ['c identifier ok', isCIdentifier, 'MY_NAME1', []],
    ['c identifier dash', isCIdentifier, 'my-name', [
      "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')",
    ]],
    ['env name dotted ok', isEnvVarName, 'my.env-name', []],
    ['env name digit first', isEnvVarName, '1ABC', [
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
    ]],
    ['env name dotdot', isEnvVarName, '..x', ["must not start with '..'"]],
    ['configmap key ok', isConfigMapKey, 'app.properties', []],
    ['configmap key dot', isConfigMapKey, '.', ["must not be '.'"]],
    ['configmap key dotdot', isConfigMapKey, '..', ["must not be '..'"]],
    ['configmap key slash', isConfigMapKey, 'a/b', [
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    ]],
  ])('%s', (_name, validate, value, want) => {
    expect(validate(value)).toEqual(want);
  });

  it('rejects label values that are too long or badly formed', () => {
    expect(isValidLabelValue('-x')).toHaveLength(1);
    expect(isValidLabelValue('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });
});

describe('numeric validators', () => {
  it.each([
    [1, []],
    [65535, []],
    [0, ['must be between 1 and 65535, inclusive']],
    [65536, ['must be between 1 and 65535, inclusive']],
    [1.5, ['must be between 1 and 65535, inclusive']],
  ])('port %d', (port, want) => {
    expect(isValidPortNum(port)).toEqual(want);
  });

  it.each([
    [30000, []],
    [32767, []],
    [29999, ['must be between 30000 and 32767, inclusive']],
  ])('node port range %d', (port, want) => {
    expect(isInRange(port, 30000, 32767)).toEqual(want);
  });
});

describe('annotation size', () => {
  it.each([
    ['empty', undefined, true, 0],
    ['small', { a: 'bc' }, true, 3],
    ['exactly at limit', { k: 'x'.repeat(256 * 1024 - 1) }, true, 256 * 1024],
    ['over limit', { k: 'x'.repeat(256 * 1024) }, false, 256 * 1024 + 1],
    ['multibyte counts bytes', { k: 'é' }, true, 3],
  ])('%s', (_name, annotations, ok, size) => {
    expect(totalAnnotationSizeOk(annotations)).toBe(ok);
    expect(totalAnnotationSize(annotations)).toBe(size);
  });
});
