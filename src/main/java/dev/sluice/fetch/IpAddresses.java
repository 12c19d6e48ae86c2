package dev.sluice.fetch;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import java.util.function.Predicate;

/** IP literal parsing on top of the IPAddress library, in the forms browsers accept. */
final class IpAddresses {

    /** inet_aton forms (decimal, octal, hex, joined segments), as WHATWG URL host parsing accepts them. */
    private static final IPAddressStringParameters IPV4_LENIENT;
    /** A plain IPv6 literal: no zone, no prefix, no ranges. */
    private static final IPAddressStringParameters IPV6_STRICT;

    static {
        var noRange = inet.ipaddr.AddressStringParameters.RangeParameters.NO_RANGE;
        var v4 = new IPAddressStringParameters.Builder()
                .allowEmpty(false).allowPrefix(false).allowMask(false).allowIPv6(false).allowSingleSegment(true);
        v4.getIPv4AddressParametersBuilder()
                .allow_inet_aton(true).allow_inet_aton_hex(true).allow_inet_aton_octal(true)
                .allow_inet_aton_joined_segments(true).allow_inet_aton_single_segment_mask(true)
                .allowLeadingZeros(true).allowWildcardedSeparator(false).setRangeOptions(noRange);
        IPV4_LENIENT = v4.toParams();
        var v6 = new IPAddressStringParameters.Builder()
                .allowEmpty(false).allowPrefix(false).allowMask(false).allowIPv4(false).allowSingleSegment(false);
        v6.getIPv6AddressParametersBuilder().allowZone(false).allowWildcardedSeparator(false).setRangeOptions(noRange);
        IPV6_STRICT = v6.toParams();
    }

    private IpAddresses() {
    }

    /** The canonical dotted form of an IPv4 host in any inet_aton notation, or null. */
    static String parseIpv4Lenient(String host) {
        return canonical(host, IPV4_LENIENT, IPAddress::isIPv4);
    }

    /** The canonical form of an IPv6 literal (without brackets), or null. */
    static String parseIpv6(String literal) {
        return canonical(literal, IPV6_STRICT, IPAddress::isIPv6);
    }

    /** The canonical form of an address the parameters accept, if it is of the expected version; else null. */
    private static String canonical(String text, IPAddressStringParameters parameters, Predicate<IPAddress> version) {
        try {
            IPAddress ip = new IPAddressString(text, parameters).toAddress();
            return version.test(ip) ? ip.toCanonicalString() : null;
        } catch (AddressStringException | RuntimeException e) {
            return null;
        }
    }
}
