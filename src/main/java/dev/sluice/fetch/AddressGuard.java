package dev.sluice.fetch;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv6.IPv6Address;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether Sluice may connect to a host and address on a client's behalf: the heart of SSRF protection.
 *
 * <p>Every resolved address is checked against an explicit deny table (loopback, private, link-local, CGNAT,
 * benchmarking, documentation, multicast, reserved, IPv6 unique-local and link-local, ...: every block of IANA's
 * IPv4 and IPv6 special-purpose registries that is not globally reachable). IPv6 forms that carry
 * an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64 {@code 64:ff9b::/96}, 6to4) are unwrapped and the inner
 * address checked. Cloud metadata addresses and names are refused always, whatever the operator allows.
 *
 * <p>Operators may allow private networks ({@code allowed-cidrs}) or host names ({@code allowed-hosts}) for
 * sidecar use; they may also restrict fetching to some domains or deny some. An allowed address is still subject
 * to every other rule (scheme, credentials, redirects, size, content type).
 */
public final class AddressGuard {

    private record Range(IPAddress block, String label) {
    }

    private static final List<Range> DENIED = List.of(
            range("0.0.0.0/8", "the 'this network' range"),
            range("10.0.0.0/8", "a private network (RFC 1918)"),
            range("100.64.0.0/10", "a carrier-grade NAT range"),
            range("127.0.0.0/8", "loopback"),
            range("169.254.0.0/16", "link-local"),
            range("172.16.0.0/12", "a private network (RFC 1918)"),
            range("192.0.0.0/24", "an IETF protocol range"),
            range("192.0.2.0/24", "a documentation range"),
            range("192.88.99.0/24", "the 6to4 relay range"),
            range("192.168.0.0/16", "a private network (RFC 1918)"),
            range("198.18.0.0/15", "the benchmarking range"),
            range("198.51.100.0/24", "a documentation range"),
            range("203.0.113.0/24", "a documentation range"),
            range("224.0.0.0/4", "multicast"),
            range("240.0.0.0/4", "a reserved range"),
            range("255.255.255.255/32", "broadcast"),
            range("::/128", "the unspecified address"),
            range("::1/128", "loopback"),
            range("64:ff9b:1::/48", "a local NAT64 range"),
            range("100::/64", "the discard range"),
            range("100:0:0:1::/64", "the dummy IPv6 prefix"),
            range("2001::/32", "Teredo"),
            range("2001:2::/48", "the benchmarking range"),
            range("2001:db8::/32", "a documentation range"),
            range("3fff::/20", "a documentation range"),
            range("5f00::/16", "the segment-routing (SRv6) SID range"),
            range("fc00::/7", "a unique-local network"),
            range("fe80::/10", "link-local"),
            range("fec0::/10", "site-local"),
            range("ff00::/8", "multicast"));

    private static final List<IPAddress> METADATA_ADDRESSES = List.of(
            ip("169.254.169.254"), ip("169.254.170.2"), ip("169.254.169.123"), ip("fd00:ec2::254"),
            ip("fd00:ec2::23"), ip("100.100.100.200"), ip("192.0.0.192"));

    private static final List<String> METADATA_NAMES = List.of(
            "metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal",
            "metadata.azure.internal", "metadata.tencentyun.com", "metadata.platformequinix.com");

    private final List<IPAddress> allowedCidrs;
    private final List<String> allowedHosts;
    private final List<String> allowDomains;
    private final List<String> denyDomains;

    public AddressGuard(List<String> allowedCidrs, List<String> allowedHosts, List<String> allowDomains,
                        List<String> denyDomains) {
        List<IPAddress> cidrs = new ArrayList<>();
        for (String c : allowedCidrs) {
            String trimmed = c.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            IPAddress block = new IPAddressString(trimmed).getAddress();
            if (block == null) {
                throw new IllegalArgumentException("sluice.extract.allowed-cidrs: '" + trimmed + "' is not a CIDR block");
            }
            cidrs.add(block.toPrefixBlock());
        }
        this.allowedCidrs = List.copyOf(cidrs);
        this.allowedHosts = lower(allowedHosts);
        this.allowDomains = lower(allowDomains);
        this.denyDomains = lower(denyDomains);
    }

    /** Rules on the name, before any lookup. */
    public void checkName(SafeUrl url) {
        String host = url.host();
        if (url.literal()) {
            return; // literals are judged by address
        }
        if (METADATA_NAMES.contains(host)) {
            throw FetchException.notAllowed("'" + host + "' is a cloud metadata service");
        }
        if ((host.equals("localhost") || host.endsWith(".localhost")) && !hostAllowed(host)) {
            throw FetchException.notAllowed("'" + host + "' is the local machine");
        }
        if (matchesDomain(host, denyDomains)) {
            throw FetchException.notAllowed("the domain of '" + host + "' is on the deny list");
        }
        if (!allowDomains.isEmpty() && !matchesDomain(host, allowDomains) && !hostAllowed(host)) {
            throw FetchException.notAllowed("'" + host + "' is not on the list of allowed domains");
        }
    }

    /** Rules on one address the host resolved to (or the literal itself). */
    public void checkAddress(SafeUrl url, InetAddress address) {
        IPAddress ip = unwrap(new IPAddressString(address.getHostAddress()).getAddress());
        if (ip == null) {
            throw FetchException.notAllowed("the host's address could not be read");
        }
        for (IPAddress metadata : METADATA_ADDRESSES) {
            if (metadata.contains(ip)) {
                throw FetchException.notAllowed("the host is a cloud metadata address");
            }
        }
        if (url.literal() && !allowDomains.isEmpty() && !isAllowedCidr(ip)) {
            throw FetchException.notAllowed("IP addresses are not on the list of allowed domains");
        }
        if (!url.literal() && hostAllowed(url.host())) {
            return;
        }
        if (isAllowedCidr(ip)) {
            return;
        }
        for (Range range : DENIED) {
            if (range.block().contains(ip)) {
                throw FetchException.notAllowed("the host resolves to " + range.label());
            }
        }
    }

    /**
     * Rules on the peer a connection actually reached: it must be the address that was checked (a connection
     * routed elsewhere, by a proxy or a rebinding trick, is refused), and it must itself pass {@link #checkAddress}.
     *
     * @param peer the peer's IP address as the connection reports it (a literal, never looked up); null if unknown
     */
    void checkPeer(SafeUrl url, InetAddress checked, String peer) {
        IPAddress actual = peer == null ? null : new IPAddressString(peer).getAddress();
        if (actual == null) {
            throw FetchException.notAllowed("the connected peer's address could not be read");
        }
        if (!withoutMapping(actual).equals(withoutMapping(new IPAddressString(checked.getHostAddress()).getAddress()))) {
            throw FetchException.notAllowed("the connection reached an address other than the one checked");
        }
        checkAddress(url, actual.toInetAddress());
    }

    /** A dual-stack socket reports an IPv4 peer as {@code ::ffff:a.b.c.d}: the same peer. */
    private static IPAddress withoutMapping(IPAddress ip) {
        return ip.isIPv6() && ip.toIPv6().isIPv4Mapped() ? ip.toIPv6().getEmbeddedIPv4Address() : ip;
    }

    private boolean isAllowedCidr(IPAddress ip) {
        for (IPAddress block : allowedCidrs) {
            if (block.getIPVersion() == ip.getIPVersion() && block.contains(ip)) {
                return true;
            }
        }
        return false;
    }

    /** The IPv4 address inside IPv4-mapped, IPv4-compatible, NAT64 and 6to4 forms; otherwise the address. */
    static IPAddress unwrap(IPAddress ip) {
        if (ip == null || !ip.isIPv6()) {
            return ip;
        }
        IPv6Address v6 = ip.toIPv6();
        if (v6.isIPv4Mapped() || v6.isIPv4Compatible() && !v6.isLoopback() && !v6.isZero()) {
            return v6.getEmbeddedIPv4Address();
        }
        if (NAT64.contains(v6)) {
            return v6.getEmbeddedIPv4Address();
        }
        if (v6.is6To4()) {
            return v6.get6To4IPv4Address();
        }
        return ip;
    }

    private static final IPAddress NAT64 = ip("64:ff9b::/96").toPrefixBlock();

    private boolean hostAllowed(String host) {
        for (String pattern : allowedHosts) {
            if (pattern.startsWith("*.") ? host.endsWith(pattern.substring(1)) : host.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesDomain(String host, List<String> domains) {
        for (String d : domains) {
            String domain = d.startsWith("*.") ? d.substring(2) : d;
            if (host.equals(domain) || host.endsWith("." + domain)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> lower(List<String> values) {
        return values.stream().map(String::strip).filter(s -> !s.isEmpty()).map(s -> s.toLowerCase(Locale.ROOT))
                .map(s -> s.endsWith(".") ? s.substring(0, s.length() - 1) : s).toList();
    }

    private static Range range(String cidr, String label) {
        return new Range(ip(cidr).toPrefixBlock(), label);
    }

    private static IPAddress ip(String text) {
        return new IPAddressString(text).getAddress();
    }
}
