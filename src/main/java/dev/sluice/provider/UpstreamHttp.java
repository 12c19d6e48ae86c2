package dev.sluice.provider;

import dev.sluice.config.SluiceConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

/**
 * The one HTTP client every provider uses: pooled keep-alive connections, HTTP/2 negotiated by ALPN over TLS
 * (plain-text upstreams such as local Ollama speak HTTP/1.1), response decompression, and timeouts enforced by
 * the client itself so that a timed-out request releases its connection.
 *
 * <p>Failures to connect or to hear back in time are turned into {@link UpstreamException}s naming the provider.
 * Nothing here logs request bodies or headers, so keys cannot leak from it.
 */
@ApplicationScoped
public class UpstreamHttp {

    public static final String REQUEST_ID = "x-request-id";

    private final Vertx vertx;
    private final HttpClientOptions plainOptions;
    private final HttpClientOptions tlsOptions;
    private final PoolOptions pool;
    /** The clients of each event loop: a request's upstream connection lives on the loop that serves it. */
    private final ThreadLocal<Clients> perLoop = new ThreadLocal<>();
    private final List<Clients> all = new CopyOnWriteArrayList<>();
    private final Clients shared;

    /** A plain-text and a TLS client, with their own connection pools. */
    private record Clients(HttpClient plain, HttpClient tls) {
        void close() {
            plain.closeAndAwait();
            tls.closeAndAwait();
        }
    }

    @Inject
    public UpstreamHttp(Vertx vertx, SluiceConfig config) {
        this.vertx = vertx;
        SluiceConfig.Upstream up = config.upstream();
        HttpClientOptions base = new HttpClientOptions()
                .setConnectTimeout((int) up.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setKeepAliveTimeout((int) Math.max(1, up.keepAlive().toSeconds()))
                .setIdleTimeout(0)
                .setDecompressionSupported(true)
                .setMaxInitialLineLength(8192)
                .setMaxHeaderSize(64 * 1024)
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true)
                // traced by hand (an attempt span whose traceparent common() sends): no second, automatic span,
                // and no Vert.x tracer work on the hot path when tracing is off
                .setTracingPolicy(TracingPolicy.IGNORE)
                .setName("sluice-upstream");
        // each event loop pools its own connections, up to the cap per host (a stream holds its connection for
        // as long as it runs, so the cap bounds the streams in flight per loop and host)
        int perLoop = up.maxConnectionsPerHost();
        this.pool = new PoolOptions()
                .setHttp1MaxSize(perLoop)
                .setHttp2MaxSize(Math.max(1, perLoop / 32))
                .setMaxWaitQueueSize(-1);
        this.plainOptions = new HttpClientOptions(base).setProtocolVersion(HttpVersion.HTTP_1_1);
        this.tlsOptions = new HttpClientOptions(base)
                .setSsl(true)
                .setUseAlpn(true)
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2KeepAliveTimeout((int) Math.max(1, up.keepAlive().toSeconds()))
                .setVerifyHost(true);
        this.shared = newClients();
    }

    private Clients newClients() {
        Clients c = new Clients(vertx.createHttpClient(plainOptions, pool), vertx.createHttpClient(tlsOptions, pool));
        all.add(c);
        return c;
    }

    /**
     * The clients for the calling thread. On an event loop, that loop's own: Vert.x creates a connection on the
     * event loop of the request that opens it, but hands idle pooled connections to requests of any loop, which
     * then pay two cross-thread hand-offs per request (write on the connection's loop, answer back on theirs).
     * Clients used by one loop only keep every request on its loop. Elsewhere (worker threads), a shared pair.
     */
    private Clients clients() {
        if (!io.vertx.core.Context.isOnEventLoopThread()) {
            return shared;
        }
        Clients c = perLoop.get();
        if (c == null) {
            c = newClients();
            perLoop.set(c);
        }
        return c;
    }

    /**
     * Sends a request and returns the response once its headers have arrived; the body is still to be read.
     *
     * @param idleTimeout the longest silence allowed, before the headers and between body chunks
     */
    public Uni<HttpClientResponse> send(String provider, HttpMethod method, String url, Map<String, String> headers,
                                        byte[] body, Duration idleTimeout) {
        return send(provider, method, url, headers, body, idleTimeout, null);
    }

    /**
     * Like {@link #send(String, HttpMethod, String, Map, byte[], Duration)}, with a connect timeout of its own
     * (null: {@code sluice.upstream.connect-timeout}).
     */
    public Uni<HttpClientResponse> send(String provider, HttpMethod method, String url, Map<String, String> headers,
                                        byte[] body, Duration idleTimeout, Duration connectTimeout) {
        URI uri = URI.create(url);
        boolean secure = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : (secure ? 443 : 80);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setHost(uri.getHost())
                .setPort(port)
                .setSsl(secure)
                .setURI(path)
                .setIdleTimeout(idleTimeout.toMillis());
        if (connectTimeout != null) {
            options.setConnectTimeout(connectTimeout.toMillis());
        }
        headers.forEach(options::putHeader);
        Clients pair = clients();
        HttpClient client = secure ? pair.tls() : pair.plain();
        return client.request(options)
                .chain(request -> (body == null ? request.send() : request.send(Buffer.buffer(body)))
                        .onCancellation().invoke(() -> abandon(request)))
                .onFailure().transform(f -> classify(provider, f));
    }

    /** Reads a whole response body, failing like {@link #send} if the upstream goes silent or breaks. */
    public Uni<Buffer> body(String provider, HttpClientResponse response) {
        return response.body()
                .onCancellation().invoke(() -> abandon(response))
                .onFailure().transform(f -> classify(provider, f));
    }

    /**
     * The response body as it arrives. Cancelling the returned stream resets the upstream request, so a client
     * that goes away stops the provider's generation too.
     */
    public Multi<io.vertx.core.buffer.Buffer> stream(String provider, HttpClientResponse response,
                                                     Duration idleTimeout) {
        return LoopTimeouts.idle(response.toMulti().map(Buffer::getDelegate), idleTimeout,
                        () -> UpstreamException.timeout(provider,
                                "the stream sent nothing for " + idleTimeout.toSeconds() + "s"))
                .onFailure().transform(f -> classify(provider, f))
                .onCancellation().invoke(() -> abandon(response));
    }

    /** Stops an upstream request nobody waits for any more; its connection is closed, not returned to the pool. */
    private static void abandon(io.vertx.mutiny.core.http.HttpClientRequest request) {
        request.reset();
    }

    private static void abandon(HttpClientResponse response) {
        // the failure the reset itself causes is expected: keep it from being reported as unhandled
        response.getDelegate().exceptionHandler(ignored -> {
        });
        abandon(response.request());
    }

    /** Maps a transport failure to the error the client sees, naming the provider but no address or key. */
    public static Throwable classify(String provider, Throwable f) {
        if (f instanceof UpstreamException) {
            return f;
        }
        if (f instanceof TimeoutException || f.getClass().getSimpleName().contains("Timeout")) {
            String msg = String.valueOf(f.getMessage());
            return msg.contains("connect") ? UpstreamException.connection(provider, "connection timed out")
                    : UpstreamException.timeout(provider, "no data within the idle timeout");
        }
        if (f instanceof ConnectException) {
            return UpstreamException.connection(provider, "connection refused");
        }
        if (f instanceof UnknownHostException) {
            return UpstreamException.connection(provider, "host name could not be resolved");
        }
        if (f instanceof javax.net.ssl.SSLException) {
            return UpstreamException.connection(provider, "TLS handshake failed");
        }
        if (f instanceof ClosedChannelException || f instanceof io.vertx.core.http.HttpClosedException
                || f instanceof io.vertx.core.VertxException || f instanceof java.io.IOException) {
            return UpstreamException.connection(provider, "the connection was closed before the response was complete");
        }
        return UpstreamException.connection(provider, f.getClass().getSimpleName());
    }

    /** Headers common to every upstream request. */
    public static void common(Map<String, String> headers, CallContext context, boolean stream) {
        headers.put(HttpHeaderNames.CONTENT_TYPE.toString(), "application/json");
        headers.put(HttpHeaderNames.ACCEPT.toString(), stream ? "text/event-stream" : "application/json");
        headers.put(HttpHeaderNames.USER_AGENT.toString(), "sluice");
        if (context != null) {
            headers.put(REQUEST_ID, context.requestId());
            // the W3C trace context of the current attempt's span; empty when tracing is off
            headers.putAll(context.traceHeaders());
        }
    }

    @PreDestroy
    void close() {
        all.forEach(Clients::close);
    }
}
