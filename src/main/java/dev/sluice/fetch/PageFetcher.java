package dev.sluice.fetch;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fetches public web pages for extraction without becoming a way into the private network, and without blocking
 * the event loop.
 *
 * <p>Each hop: the URL is parsed by {@link SafeUrl}; the name is checked; the host is resolved once and every
 * address checked by the {@link AddressGuard}; the connection goes to the checked address (the Host header and
 * TLS name stay the host name), so a DNS answer that changes between check and connect cannot slip in; the peer
 * the connection actually reached is checked again. Redirects are followed here, at most
 * {@code max-redirects}, each hop checked the same way. No cookies and no credentials are ever sent. The body
 * is capped after decompression, the whole fetch by a deadline, and only HTML, XHTML, plain text and PDF are read; a
 * response without a Content-Type is read only when its body is clearly HTML or a PDF ({@link HtmlSniffer}).
 */
public final class PageFetcher {

    /** The media type of PDF documents, read with PDFBox after the fetch. */
    public static final String PDF = "application/pdf";
    private static final Set<String> TEXT_TYPES = Set.of("text/html", "application/xhtml+xml", "text/plain", PDF);
    private static final String ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,application/pdf;q=0.7";

    private final HttpClient client;
    private final AddressGuard guard;
    private final HostResolver resolver;
    private final FetchSettings settings;

    public PageFetcher(Vertx vertx, FetchSettings settings, HostResolver resolver) {
        this.settings = settings;
        this.resolver = resolver;
        this.guard = new AddressGuard(settings.allowedCidrs(), settings.allowedHosts(), settings.allowDomains(),
                settings.denyDomains());
        this.client = vertx.createHttpClient(new HttpClientOptions()
                // no automatic client span, and no trace context sent to the pages of arbitrary sites: a request's
                // trace records each page in a span of its own (retrieval's)
                .setTracingPolicy(io.vertx.core.tracing.TracingPolicy.IGNORE)
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(false)
                .setConnectTimeout((int) settings.connectTimeout().toMillis())
                .setDecompressionSupported(true)
                .setMaxHeaderSize(settings.maxHeaderBytes())
                .setMaxInitialLineLength(8192)
                .setVerifyHost(true)
                .setForceSni(true)
                .setTrustAll(false)
                .setName("sluice-extract"));
    }

    /**
     * The system's name servers and hosts file, looked up without a thread ({@link AsyncHostResolver}); a query
     * unanswered after the fetch timeout is given up.
     */
    public static HostResolver systemResolver(Vertx vertx, FetchSettings settings) {
        return new AsyncHostResolver(vertx.getDelegate().nettyEventLoopGroup().next(), settings.timeout());
    }

    public AddressGuard guard() {
        return guard;
    }

    public FetchSettings settings() {
        return settings;
    }

    /**
     * Fetches a URL.
     *
     * @param timeout the deadline for the whole fetch, or null for the default; capped at {@code max-timeout}
     */
    public Uni<FetchedPage> fetch(String url, Duration timeout) {
        return fetch(url, timeout, TEXT_TYPES, settings.maxBodyBytes());
    }

    /**
     * Fetches a URL whose media type is one of {@code mediaTypes} (a type ending in {@code /*} accepts the
     * whole family, e.g. {@code image/*}), with its own size cap: for images a chat request refers to.
     */
    public Uni<FetchedPage> fetch(String url, Duration timeout, Set<String> mediaTypes, long maxBytes) {
        Duration limit = settings.limit(timeout);
        Accepted accepted = new Accepted(mediaTypes, maxBytes, System.nanoTime() + limit.toNanos());
        return Uni.createFrom().deferred(() -> hop(SafeUrl.parse(url), url, 0, accepted))
                .ifNoItem().after(limit).failWith(() -> FetchException.timeout(limit.toMillis()));
    }

    /** What a fetch accepts: media types and a size cap; and when it must be done (System.nanoTime()). */
    private record Accepted(Set<String> mediaTypes, long maxBytes, long deadline) {
        boolean accepts(String mediaType) {
            if (mediaTypes.contains(mediaType)) {
                return true;
            }
            int slash = mediaType.indexOf('/');
            return slash > 0 && mediaTypes.contains(mediaType.substring(0, slash) + "/*");
        }

        String acceptHeader() {
            return mediaTypes == TEXT_TYPES ? ACCEPT : String.join(",", mediaTypes);
        }
    }

    private Uni<FetchedPage> hop(SafeUrl target, String original, int redirects, Accepted accepted) {
        guard.checkName(target);
        return addressOf(target, accepted.deadline()).chain(address -> request(target, address, accepted).chain(response -> {
            // every hop, redirects included: nothing the server said is acted on before its address is confirmed
            checkPeer(target, response, address);
            int status = response.statusCode();
            if (status >= 300 && status < 400 && status != 304) {
                String location = response.getHeader("location");
                abandon(response);
                if (location == null) {
                    throw FetchException.failed("a redirect without a Location");
                }
                if (redirects >= settings.maxRedirects()) {
                    throw FetchException.failed("more than " + settings.maxRedirects() + " redirects");
                }
                return hop(target.resolve(location), original, redirects + 1, accepted);
            }
            if (status < 200 || status >= 300) {
                abandon(response);
                throw FetchException.upstreamStatus(status);
            }
            String contentType = response.getHeader("content-type");
            String mediaType = mediaType(contentType);
            // no Content-Type: only a page fetch may go on, and only if the body turns out to be clearly HTML
            if (mediaType == null ? accepted.mediaTypes() != TEXT_TYPES : !accepted.accepts(mediaType)) {
                abandon(response);
                throw FetchException.unsupportedType(mediaType);
            }
            String length = response.getHeader("content-length");
            if (length != null) {
                try {
                    if (Long.parseLong(length.trim()) > accepted.maxBytes()) {
                        abandon(response);
                        throw FetchException.tooLarge(accepted.maxBytes());
                    }
                } catch (NumberFormatException ignored) {
                    // the actual bytes are counted anyway
                }
            }
            return readCapped(response, accepted.maxBytes()).map(bytes -> {
                String type = mediaType;
                if (type == null) {
                    // no Content-Type: a PDF announces itself in its first bytes; anything else must be clearly HTML
                    type = HtmlSniffer.isPdf(bytes) ? PDF : HtmlSniffer.isHtml(bytes) ? "text/html" : null;
                    if (type == null) {
                        throw FetchException.unsupportedType(null);
                    }
                }
                return new FetchedPage(original, target.url(), status, type, charset(contentType), bytes);
            });
        }));
    }

    /** Resolves the host once and checks every address; the first is the one connected to. */
    private Uni<InetAddress> addressOf(SafeUrl target, long deadline) {
        if (target.literal()) {
            InetAddress literal;
            try {
                literal = InetAddress.getByName(target.host()); // a literal: parsed, never looked up
            } catch (UnknownHostException e) {
                throw FetchException.notAllowed("malformed address");
            }
            guard.checkAddress(target, literal);
            return Uni.createFrom().item(literal);
        }
        return resolver.resolve(target.host(), Duration.ofNanos(deadline - System.nanoTime())).map(addresses -> {
            if (addresses == null || addresses.isEmpty()) {
                throw FetchException.failed("the host name '" + target.host() + "' has no address");
            }
            for (InetAddress a : addresses) {
                guard.checkAddress(target, a);
            }
            return addresses.stream().filter(a -> a.getAddress().length == 4).findFirst().orElse(addresses.get(0));
        });
    }

    private Uni<HttpClientResponse> request(SafeUrl target, InetAddress address, Accepted accepted) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(target.literal() && target.host().indexOf(':') >= 0 ? "[" + target.host() + "]" : target.host())
                .setPort(target.port())
                .setSsl(target.secure())
                .setURI(target.pathAndQuery())
                .setServer(SocketAddress.inetSocketAddress(target.port(), address.getHostAddress()))
                .setFollowRedirects(false)
                .putHeader("user-agent", settings.userAgent())
                .putHeader("accept", accepted.acceptHeader())
                .putHeader("accept-language", "en;q=1.0, *;q=0.5");
        return client.request(options)
                .chain(req -> req.send().onCancellation().invoke(req::reset))
                .onFailure(f -> !(f instanceof FetchException)).transform(PageFetcher::transportFailure);
    }

    /** The connection must have reached the address that was checked; otherwise the response is dropped unread. */
    private void checkPeer(SafeUrl target, HttpClientResponse response, InetAddress checked) {
        var remote = response.request().connection().remoteAddress();
        try {
            guard.checkPeer(target, checked, remote == null ? null : remote.hostAddress());
        } catch (FetchException e) {
            abandon(response);
            throw e;
        }
    }

    private Uni<byte[]> readCapped(HttpClientResponse response, long cap) {
        AtomicLong received = new AtomicLong();
        return response.toMulti()
                .onItem().invoke(chunk -> {
                    if (received.addAndGet(chunk.length()) > cap) {
                        throw FetchException.tooLarge(cap);
                    }
                })
                .collect().in(Buffer::buffer, Buffer::appendBuffer)
                .map(Buffer::getBytes)
                .onFailure().invoke(f -> abandon(response))
                .onCancellation().invoke(() -> abandon(response))
                .onFailure(f -> !(f instanceof FetchException)).transform(PageFetcher::transportFailure);
    }

    private static void abandon(HttpClientResponse response) {
        response.getDelegate().exceptionHandler(ignored -> {
        });
        response.request().reset();
    }

    private static Throwable transportFailure(Throwable f) {
        String name = f.getClass().getSimpleName();
        if (f instanceof java.net.ConnectException) {
            return FetchException.failed("connection refused");
        }
        if (name.contains("Timeout")) {
            return FetchException.failed("connection timed out");
        }
        if (f instanceof javax.net.ssl.SSLException) {
            return FetchException.failed("TLS handshake failed (" + f.getMessage() + ")");
        }
        if (String.valueOf(f.getMessage()).contains("header")) {
            return FetchException.failed("the response headers are too large or malformed");
        }
        return FetchException.failed("the connection failed (" + name + ")");
    }

    static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    static Charset charset(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String part : contentType.split(";")) {
            String p = part.strip();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                String name = p.substring(8).strip().replace("\"", "").replace("'", "");
                try {
                    return Charset.forName(name);
                } catch (RuntimeException unknown) {
                    return null;
                }
            }
        }
        return null;
    }
}
