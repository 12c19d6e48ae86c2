package dev.sluice.fetch;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * An http(s) URL parsed the one way Sluice parses URLs it fetches — for client-supplied URLs, redirect targets
 * and URLs found in messages alike, so that no two parsers can disagree about which host is meant.
 *
 * <p>Refused: schemes other than http and https, userinfo (the {@code user@host} trick), backslashes and
 * control characters in the authority, percent-encoded or otherwise malformed hosts, IPv6 zone ids. A host whose
 * last label is numeric is an IPv4 address in any of the forms browsers accept (decimal {@code 2130706433}, octal
 * {@code 0177.0.0.1}, hex, short {@code 127.1}) and is normalised, so that the address checked is the address a
 * browser — and Sluice — would connect to. International names are converted to ASCII.
 *
 * @param scheme      {@code http} or {@code https}
 * @param host        lower-case ASCII host name, or the canonical IP literal (IPv6 without brackets)
 * @param literal     whether the host is an IP literal (no DNS lookup)
 * @param port        explicit or default port
 * @param pathAndQuery raw path and query as sent on the request line
 */
public record SafeUrl(String scheme, String host, boolean literal, int port, String pathAndQuery) {

    public boolean secure() {
        return "https".equals(scheme);
    }

    /** The URL in canonical form (no fragment, default port omitted). */
    public String url() {
        boolean defaultPort = port == (secure() ? 443 : 80);
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return scheme + "://" + h + (defaultPort ? "" : ":" + port) + pathAndQuery;
    }

    @Override
    public String toString() {
        return url();
    }

    /** Parses an absolute URL; throws {@link FetchException} ({@code url_not_allowed}) when it is not acceptable. */
    public static SafeUrl parse(String input) {
        if (input == null || input.isBlank()) {
            throw FetchException.notAllowed("the URL is empty");
        }
        String text = input.strip();
        if (text.length() > 8192) {
            throw FetchException.notAllowed("the URL is longer than 8192 characters");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw FetchException.notAllowed("the URL contains control characters");
            }
        }
        URI uri;
        try {
            uri = new URI(text.replace(" ", "%20"));
        } catch (URISyntaxException e) {
            throw FetchException.notAllowed("it is not a valid URL");
        }
        return of(uri);
    }

    /** Resolves a (possibly relative) reference, e.g. a redirect's Location, against this URL and parses it. */
    public SafeUrl resolve(String reference) {
        if (reference == null || reference.isBlank()) {
            throw FetchException.notAllowed("empty redirect location");
        }
        try {
            URI base = new URI(url());
            return of(base.resolve(new URI(reference.strip().replace(" ", "%20"))));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw FetchException.notAllowed("the redirect location is not a valid URL");
        }
    }

    private static SafeUrl of(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw FetchException.notAllowed("only http and https URLs can be fetched");
        }
        if (uri.isOpaque()) {
            throw FetchException.notAllowed("it is not a hierarchical http(s) URL");
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw FetchException.notAllowed("the URL has no host");
        }
        if (authority.indexOf('@') >= 0) {
            throw FetchException.notAllowed("URLs with credentials (user@host) are refused");
        }
        if (authority.indexOf('\\') >= 0 || authority.indexOf('%') >= 0) {
            throw FetchException.notAllowed("the host contains characters a host cannot contain");
        }
        String hostPart;
        String portPart = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw FetchException.notAllowed("unterminated IPv6 literal");
            }
            hostPart = authority.substring(1, close);
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw FetchException.notAllowed("malformed host");
                }
                portPart = rest.substring(1);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            hostPart = colon >= 0 ? authority.substring(0, colon) : authority;
            portPart = colon >= 0 ? authority.substring(colon + 1) : null;
        }
        boolean secure = scheme.equals("https");
        int port = secure ? 443 : 80;
        if (portPart != null && !portPart.isEmpty()) {
            try {
                port = Integer.parseInt(portPart);
            } catch (NumberFormatException e) {
                throw FetchException.notAllowed("the port is not a number");
            }
            if (port < 1 || port > 65535) {
                throw FetchException.notAllowed("the port is out of range");
            }
        }
        Host host = host(hostPart, authority.startsWith("["));
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery();
        return new SafeUrl(scheme, host.name, host.literal, port, query == null ? path : path + "?" + query);
    }

    private record Host(String name, boolean literal) {
    }

    private static Host host(String raw, boolean bracketed) {
        if (raw.isEmpty()) {
            throw FetchException.notAllowed("the URL has no host");
        }
        if (bracketed) {
            if (raw.indexOf('%') >= 0) {
                throw FetchException.notAllowed("IPv6 zone ids are refused");
            }
            var ip = IpAddresses.parseIpv6(raw);
            if (ip == null) {
                throw FetchException.notAllowed("malformed IPv6 literal");
            }
            return new Host(ip, true);
        }
        String name = raw;
        while (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty()) {
            throw FetchException.notAllowed("the URL has no host");
        }
        String ascii;
        try {
            ascii = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw FetchException.notAllowed("the host name is not valid");
        }
        String lastLabel = ascii.substring(ascii.lastIndexOf('.') + 1);
        if (looksNumeric(lastLabel)) {
            // browsers treat such hosts as IPv4 in inet_aton notation; so do we, or refuse them
            String ip = IpAddresses.parseIpv4Lenient(ascii);
            if (ip == null) {
                throw FetchException.notAllowed("the host looks like an IPv4 address but is not a valid one");
            }
            return new Host(ip, true);
        }
        return new Host(ascii, false);
    }

    private static boolean looksNumeric(String label) {
        if (label.isEmpty()) {
            return false;
        }
        if (label.startsWith("0x") || label.startsWith("0X")) {
            return true;
        }
        for (int i = 0; i < label.length(); i++) {
            if (!Character.isDigit(label.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
