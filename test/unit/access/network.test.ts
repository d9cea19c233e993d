/** A visitor as networks see it (src/access/network.ts): IPv4 per address, IPv6 per /64. */
import { visitorNetwork } from '../../../cloudfunctions/genScheme/src/access/network';
import { callerKey, classify } from '../../../cloudfunctions/genScheme/src/access/caller';

describe('visitorNetwork', () => {
  it('an IPv4 address is its own key', () => {
    expect(visitorNetwork('203.0.113.9')).toBe('203.0.113.9');
    expect(visitorNetwork(' 203.0.113.9 ')).toBe('203.0.113.9');
    expect(visitorNetwork('203.0.113.10')).not.toBe(visitorNetwork('203.0.113.9'));
  });

  it('every spelling of one IPv6 /64 gives one key', () => {
    const spellings = [
      '2001:db8:0:1::1',
      '2001:0db8:0000:0001:0000:0000:0000:0001',
      '2001:DB8:0:1:FFFF:FFFF:FFFF:FFFF',
      '2001:db8::1:0:0:0:5',
      '2001:db8:0:1:abcd::',
      '[2001:db8:0:1::2]',
      'fe80::1%eth0'.replace('fe80::', '2001:db8:0:1::'),
      '2001:db8:0:1:0:0:1.2.3.4',
    ];
    expect(new Set(spellings.map(visitorNetwork))).toEqual(new Set(['2001:db8:0:1::/64']));
  });

  it('40 addresses of one /64 are one visitor; the next /64 is another', () => {
    const keys = Array.from({ length: 40 }, (_, i) => visitorNetwork(`2001:db8:aa:bb:${((i * 7919) % 65536).toString(16)}:${i}::${i + 1}`));
    expect(new Set(keys).size).toBe(1);
    expect(visitorNetwork('2001:db8:aa:bc::1')).not.toBe(keys[0]);
    expect(visitorNetwork('2001:db8:ab:bb::1')).not.toBe(keys[0]);
  });

  it('IPv4-mapped IPv6 is the IPv4 address it maps, in either form', () => {
    expect(visitorNetwork('::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(visitorNetwork('::FFFF:102:304')).toBe('1.2.3.4');
    expect(visitorNetwork('0:0:0:0:0:ffff:0102:0304')).toBe('1.2.3.4');
    // Not mapped: ::1 and an IPv4-compatible-looking address stay IPv6 networks.
    expect(visitorNetwork('::1')).toBe('0:0:0:0::/64');
    expect(visitorNetwork('::fffe:1.2.3.4')).toBe('0:0:0:0::/64');
  });

  it('text that is no IP address is kept as it came', () => {
    expect(visitorNetwork('unknown')).toBe('unknown');
    expect(visitorNetwork('1.2.3.256')).toBe('1.2.3.256');
    expect(visitorNetwork('2001:db8::1::2')).toBe('2001:db8::1::2');
  });

  it('the per-IP limit key of a caller is its network', () => {
    expect(callerKey(classify({ CLIENTIPV6: '2001:db8:5:6::1' }, []))).toBe('ip:2001:db8:5:6::/64');
    expect(callerKey(classify({ CLIENTIPV6: '2001:0db8:0005:0006:ffff::9' }, []))).toBe('ip:2001:db8:5:6::/64');
    expect(callerKey(classify({ CLIENTIP: '::ffff:198.51.100.7' }, []))).toBe('ip:198.51.100.7');
    expect(callerKey(classify({ CLIENTIP: '198.51.100.7', CLIENTIPV6: '2001:db8::1' }, []))).toBe('ip:198.51.100.7');
  });
});
