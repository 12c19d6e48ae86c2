package dev.sluice.fetch;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The address guard, table-driven: every refused range and form, and what stays allowed. */
class AddressGuardTest {

    private static final AddressGuard DEFAULT = new AddressGuard(List.of(), List.of(), List.of(), List.of());
    private static final AddressGuard SIDECAR = new AddressGuard(List.of("10.0.0.0/8", "127.0.0.2/32", "169.254.0.0/16"),
            List.of("*.svc.cluster.local", "localhost"), List.of(), List.of("blocked.example"));

    /** Parses the URL and checks it as the fetcher would, using the literal address (no DNS). */
    private static void check(AddressGuard guard, String url) throws Exception {
        SafeUrl parsed = SafeUrl.parse(url);
        guard.checkName(parsed);
        if (parsed.literal()) {
            guard.checkAddress(parsed, InetAddress.getByName(parsed.host()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // loopback in every notation browsers accept
            "http://127.0.0.1/", "http://127.255.0.9:8080/x", "http://2130706433/", "http://0177.0.0.1/",
            "http://0x7f.0.0.1/", "http://0x7f000001/", "http://017700000001/", "http://127.1/", "http://127.0.1/",
            "http://127.0.0.1./", "http://[::1]/", "http://[0:0:0:0:0:0:0:1]/", "http://localhost/", "http://a.localhost/",
            // IPv4 inside IPv6
            "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[::127.0.0.1]/", "http://[64:ff9b::127.0.0.1]/",
            "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:7f00:1::]/", "http://[::ffff:10.0.0.1]/",
            // private, shared, special
            "http://10.0.0.1/", "http://10.255.255.255/", "http://172.16.0.1/", "http://172.31.255.255/",
            "http://192.168.1.1/", "http://100.64.0.1/", "http://100.127.255.254/", "http://0.0.0.0/", "http://0/",
            "http://0.1.2.3/", "http://169.254.1.1/", "http://192.0.0.8/", "http://198.18.0.1/", "http://198.19.255.255/",
            "http://192.0.2.1/", "http://198.51.100.7/", "http://203.0.113.9/", "http://224.0.0.1/", "http://239.1.1.1/",
            "http://240.0.0.1/", "http://255.255.255.255/",
            "http://[::]/", "http://[fc00::1]/", "http://[fd12:3456::1]/", "http://[fe80::1]/", "http://[fec0::1]/",
            "http://[ff02::1]/", "http://[2001:db8::1]/", "http://[2001:0::1]/", "http://[100::1]/", "http://[64:ff9b:1::1]/",
            "http://[2001:2::1]/", "http://[2001:2:0:ffff::9]/", "http://[3fff::1]/", "http://[3fff:fff:ffff::1]/",
            "http://[5f00::1]/", "http://[100:0:0:1::1]/",
            // cloud metadata, by address and by name
            "http://169.254.169.254/latest/meta-data/", "http://169.254.170.2/v2/credentials", "http://[fd00:ec2::254]/",
            "http://100.100.100.200/latest/meta-data/", "http://metadata.google.internal/computeMetadata/v1/",
            "http://METADATA.GOOGLE.INTERNAL./", "http://metadata/", "http://0xa9fea9fe/", "http://2852039166/",
    })
    void refusesPrivateSpecialAndMetadataAddresses(String url) {
        FetchException e = assertThrows(FetchException.class, () -> check(DEFAULT, url));
        assertEquals(FetchException.URL_NOT_ALLOWED, e.code(), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://user@example.com/", "http://user:secret@example.com/", "http://user@evil.com@127.0.0.1/",
            "http://example.com:80@127.0.0.1/", "http://@example.com/", "http://example.com\\@127.0.0.1/",
            "ftp://example.com/", "file:///etc/passwd", "gopher://example.com/", "javascript:alert(1)",
            "data:text/html,<b>x</b>", "//example.com/", "example.com", "http:///path", "http://08.0.0.1/",
            "http://1.2.3.256/", "http://[fe80::1%25eth0]/", "http://%31%32%37.0.0.1/", "http://exa mple.com:99999/",
            "http://example.com:0/", "http://[::1/", "http://ex\u0000ample.com/", "",
    })
    void refusesMalformedAndCredentialBearingUrls(String url) {
        FetchException e = assertThrows(FetchException.class, () -> check(DEFAULT, url));
        assertEquals(FetchException.URL_NOT_ALLOWED, e.code(), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://93.184.216.34/", "https://example.com/path?q=1#frag", "http://[2606:4700::1111]/",
            "https://xn--bcher-kva.example/", "https://bücher.example/", "http://8.8.8.8:8080/",
            // just outside the benchmarking 2001:2::/48 and documentation 3fff::/20 blocks
            "http://[2001:3::1]/", "http://[3fff:1000::1]/"})
    void allowsPublicAddressesAndNames(String url) {
        assertDoesNotThrow(() -> check(DEFAULT, url));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.2:9000/", "http://10.1.2.3/", "http://localhost/", "http://api.ns.svc.cluster.local/"})
    void anOperatorCanAllowPrivateNetworksAndHostsForSidecarUse(String url) {
        assertDoesNotThrow(() -> check(SIDECAR, url));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/", "http://127.0.0.1/", "http://192.168.0.1/",
            "http://user@10.1.2.3/", "ftp://10.1.2.3/", "http://metadata.google.internal/", "http://www.blocked.example/"})
    void anAllowedNetworkIsStillSubjectToEveryOtherRule(String url) {
        assertThrows(FetchException.class, () -> check(SIDECAR, url));
    }

    /** An operator who allows every network and the names around the metadata services still cannot reach them. */
    private static final AddressGuard ALLOW_EVERYTHING = new AddressGuard(List.of("0.0.0.0/0", "::/0"),
            List.of("metadata.google.internal", "metadata", "*.internal", "*.svc.cluster.local"), List.of(), List.of());

    @ParameterizedTest
    @ValueSource(strings = {"169.254.169.254", "169.254.170.2", "169.254.169.123", "fd00:ec2::254", "fd00:ec2::23",
            "100.100.100.200", "192.0.0.192"})
    void everyMetadataAddressStaysRefusedWhateverTheOperatorAllows(String address) throws Exception {
        String literal = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
        FetchException byLiteral = assertThrows(FetchException.class,
                () -> check(ALLOW_EVERYTHING, "http://" + literal + "/latest/meta-data/"));
        assertEquals(FetchException.URL_NOT_ALLOWED, byLiteral.code());
        assertEquals("URL not allowed: the host is a cloud metadata address", byLiteral.getMessage());
        // an allowed host name that resolves to it is refused as well
        FetchException byName = assertThrows(FetchException.class, () -> ALLOW_EVERYTHING.checkAddress(
                SafeUrl.parse("http://api.ns.svc.cluster.local/"), InetAddress.getByName(address)));
        assertEquals(FetchException.URL_NOT_ALLOWED, byName.code());
        // and the IPv4-mapped form of an IPv4 one
        if (address.indexOf(':') < 0) {
            assertThrows(FetchException.class, () -> check(ALLOW_EVERYTHING, "http://[::ffff:" + address + "]/"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://metadata.google.internal/computeMetadata/v1/", "http://metadata/",
            "http://metadata.goog/", "http://instance-data/", "http://instance-data.ec2.internal/",
            "http://metadata.azure.internal/", "http://metadata.tencentyun.com/", "http://metadata.platformequinix.com/"})
    void everyMetadataNameStaysRefusedWhateverTheOperatorAllows(String url) {
        FetchException e = assertThrows(FetchException.class, () -> check(ALLOW_EVERYTHING, url));
        assertEquals(FetchException.URL_NOT_ALLOWED, e.code());
        assertTrue(e.getMessage().contains("cloud metadata service"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void thePeerAConnectionReachedMustBeTheCheckedAddress() throws Exception {
        SafeUrl url = SafeUrl.parse("http://fetch-me.test/");
        InetAddress checked = InetAddress.getByName("93.184.216.34");
        assertDoesNotThrow(() -> DEFAULT.checkPeer(url, checked, "93.184.216.34"));
        assertDoesNotThrow(() -> DEFAULT.checkPeer(url, checked, "::ffff:93.184.216.34"),
                "a dual-stack socket's view of the same IPv4 peer");
        FetchException mismatch = assertThrows(FetchException.class, () -> DEFAULT.checkPeer(url, checked, "93.184.216.35"));
        assertEquals(FetchException.URL_NOT_ALLOWED, mismatch.code());
        assertTrue(mismatch.getMessage().contains("other than the one checked"), mismatch.getMessage());
        FetchException unknown = assertThrows(FetchException.class, () -> DEFAULT.checkPeer(url, checked, null));
        assertTrue(unknown.getMessage().contains("could not be read"), unknown.getMessage());
        assertThrows(FetchException.class, () -> DEFAULT.checkPeer(url, checked, "not-an-address"));
    }

    @org.junit.jupiter.api.Test
    void aPeerThatIsItselfDeniedIsRefusedEvenWhenItIsTheCheckedAddress() throws Exception {
        SafeUrl url = SafeUrl.parse("http://fetch-me.test/");
        for (String denied : List.of("127.0.0.1", "10.0.0.7", "169.254.169.254", "::1", "fd00:ec2::254")) {
            FetchException e = assertThrows(FetchException.class,
                    () -> DEFAULT.checkPeer(url, InetAddress.getByName(denied), denied), denied);
            assertEquals(FetchException.URL_NOT_ALLOWED, e.code(), denied);
        }
        // an operator-allowed peer passes, a metadata peer still does not
        assertDoesNotThrow(() -> SIDECAR.checkPeer(url, InetAddress.getByName("10.1.2.3"), "10.1.2.3"));
        assertThrows(FetchException.class,
                () -> SIDECAR.checkPeer(url, InetAddress.getByName("169.254.169.254"), "169.254.169.254"));
    }

    @org.junit.jupiter.api.Test
    void numericHostsAreNormalisedToTheAddressABrowserWouldUse() {
        assertEquals("127.0.0.1", SafeUrl.parse("http://0177.0.0.1/").host());
        assertEquals("127.0.0.1", SafeUrl.parse("http://2130706433/").host());
        assertEquals("127.0.0.1", SafeUrl.parse("http://127.1/").host());
        assertEquals("http://example.com/a%20b?x=1", SafeUrl.parse("HTTP://Example.COM:80/a b?x=1#top").url());
        assertEquals("https://xn--bcher-kva.example:8443/", SafeUrl.parse("https://bücher.example:8443").url());
    }

    @org.junit.jupiter.api.Test
    void allowDomainListsRestrictFetching() {
        AddressGuard only = new AddressGuard(List.of(), List.of(), List.of("docs.example.com", "*.wiki.example"), List.of());
        assertDoesNotThrow(() -> check(only, "https://docs.example.com/x"));
        assertDoesNotThrow(() -> check(only, "https://en.wiki.example/x"));
        assertThrows(FetchException.class, () -> check(only, "https://example.org/"));
        assertThrows(FetchException.class, () -> check(only, "http://93.184.216.34/"));
    }
}
