/**
 * A visitor as networks see it: the text the per-IP limits are counted under. An IPv4 address is
 * one visitor. An IPv6 visitor is its /64: one subscriber line or host gets a whole /64 and can
 * pick any of its 2^64 addresses, so counting per address would give it unlimited tries. Every
 * spelling of one address gives one key: expanded or zero-compressed, any case, and IPv4-mapped
 * (`::ffff:1.2.3.4`, `::ffff:102:304`) is the IPv4 address it maps.
 */
import { isIP } from 'net';

/** The key of `text`: `1.2.3.4`, `2001:db8:0:1::/64`; text that is no IP address comes back trimmed, as it was. */
export function visitorNetwork(text: string): string {
  const raw = text.trim();
  // A zone (`fe80::1%eth0`) names the interface, not the visitor.
  const address = raw.includes(':') ? raw.replace(/%.*$/, '').replace(/^\[(.*)\]$/, '$1') : raw;
  const version = isIP(address);
  if (version === 4) return address;
  if (version !== 6) return raw;
  const groups = ipv6Groups(address);
  // ::ffff:a.b.c.d (IPv4-mapped): the IPv4 address.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of an address net.isIP accepted as IPv6 (a dotted IPv4 tail is two groups). */
function ipv6Groups(address: string): number[] {
  const parse = (part: string): number[] => {
    if (part === '') return [];
    return part.split(':').flatMap((g) => {
      if (g.includes('.')) {
        const [a, b, c, d] = g.split('.').map(Number);
        return [(a << 8) | b, (c << 8) | d];
      }
      return [parseInt(g, 16)];
    });
  };
  const [head, tail] = address.toLowerCase().split('::');
  const left = parse(head);
  if (tail === undefined) return left;
  const right = parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}
