package dev.sluice.fetch;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.mutiny.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fetcher against real local servers: one on 127.0.0.2 (explicitly allowed, as a sidecar operator would
 * allow an in-cluster service) and one on 127.0.0.1 (loopback, refused) serving a "secret".
 */
class PageFetcherTest {

    static Vertx vertx;
    static HttpServer allowed;
    static HttpServer secret;
    static int port;
    static final Map<String, String> SEEN_HEADERS = new ConcurrentHashMap<>();

    @BeforeAll
    static void servers() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx.getDelegate());
        router.get("/page").handler(ctx -> {
            ctx.request().headers().forEach(h -> SEEN_HEADERS.put(h.getKey().toLowerCase(), h.getValue()));
            ctx.response().putHeader("content-type", "text/html; charset=ISO-8859-1")
                    .end(io.vertx.core.buffer.Buffer.buffer("<html><body><p>caf\u00e9</p></body></html>".getBytes(StandardCharsets.ISO_8859_1)));
        });
        router.get("/to-metadata").handler(ctx -> ctx.response().setStatusCode(302)
                .putHeader("location", "http://169.254.169.254/latest/meta-data/").end());
        router.get("/to-loopback-name").handler(ctx -> ctx.response().setStatusCode(301)
                .putHeader("location", "http://localhost:" + port + "/page").end());
        router.get("/hop/:n").handler(ctx -> {
            int n = Integer.parseInt(ctx.pathParam("n"));
            ctx.response().setStatusCode(302).putHeader("set-cookie", "session=abc")
                    .putHeader("location", n == 0 ? "/page" : "/hop/" + (n - 1)).end();
        });
        router.get("/big").handler(ctx -> ctx.response().putHeader("content-type", "text/html")
                .end("x".repeat(200_000)));
        router.get("/big-chunked").handler(ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "text/html");
            for (int i = 0; i < 50; i++) {
                ctx.response().write("y".repeat(10_000));
            }
            ctx.response().end();
        });
        router.get("/bomb").handler(ctx -> {
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                    gz.write(new byte[5_000_000]);
                }
                ctx.response().putHeader("content-type", "text/html").putHeader("content-encoding", "gzip")
                        .end(io.vertx.core.buffer.Buffer.buffer(out.toByteArray()));
            } catch (Exception e) {
                ctx.fail(e);
            }
        });
        router.get("/slow").handler(ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "text/html").write("<html>");
            long t = vertx.getDelegate().setPeriodic(300, id -> {
                if (!ctx.response().closed()) {
                    ctx.response().write(" ");
                }
            });
            ctx.response().closeHandler(v -> vertx.getDelegate().cancelTimer(t));
        });
        router.get("/pdf").handler(ctx -> ctx.response().putHeader("content-type", "application/pdf").end("%PDF-1.4"));
        router.get("/zip").handler(ctx -> ctx.response().putHeader("content-type", "application/zip").end("PK"));
        router.get("/untyped-pdf").handler(ctx -> ctx.response().end("%PDF-1.7\n%binary"));
        router.get("/image.png").handler(ctx -> ctx.response().putHeader("content-type", "image/png")
                .end(io.vertx.core.buffer.Buffer.buffer(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10})));
        router.get("/missing").handler(ctx -> ctx.response().setStatusCode(404).end("not here"));
        router.get("/huge-header").handler(ctx -> ctx.response().putHeader("content-type", "text/html")
                .putHeader("x-filler", "z".repeat(40_000)).end("<p>fine</p>"));
        router.get("/untyped-html").handler(ctx -> ctx.response()
                .end("\n  <!DOCTYPE html><html><body><p>no header, clearly HTML</p></body></html>"));
        router.get("/untyped-json").handler(ctx -> ctx.response().end("{\"html\": \"<p>not a page</p>\"}"));
        router.get("/untyped-prose").handler(ctx -> ctx.response().end("Just some words, <b>bold</b> later on."));
        // The same port on both addresses: the port the system gives on 127.0.0.2 may be in use on 127.0.0.1 (by
        // another test's connection), so a few ports are tried before giving up.
        for (int attempt = 1; secret == null; attempt++) {
            allowed = vertx.getDelegate().createHttpServer().requestHandler(router).listen(0, "127.0.0.2")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            port = allowed.actualPort();
            try {
                secret = vertx.getDelegate().createHttpServer()
                        .requestHandler(req -> req.response().putHeader("content-type", "text/html").end("<p>SECRET</p>"))
                        .listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException busy) {
                allowed.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                if (attempt == 10) {
                    throw busy;
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        vertx.closeAndAwait();
    }

    @BeforeEach
    void clear() {
        SEEN_HEADERS.clear();
    }

    private static FetchSettings settings(Duration timeout, long maxBody) {
        return new FetchSettings(Duration.ofSeconds(5), timeout, Duration.ofSeconds(60), maxBody, 32 * 1024, 5,
                "SluiceTest/1.0", List.of("127.0.0.2/32"), List.of("fetch-me.test"), List.of(), List.of());
    }

    /** Resolves every name to the allowed test server, counting lookups. */
    private static HostResolver fixed(String address, AtomicInteger lookups) {
        return (host, within) -> {
            lookups.incrementAndGet();
            try {
                return Uni.createFrom().item(List.of(InetAddress.getByName(address)));
            } catch (Exception e) {
                return Uni.createFrom().failure(e);
            }
        };
    }

    private static PageFetcher fetcher() {
        return new PageFetcher(vertx, settings(Duration.ofSeconds(5), 100_000), fixed("127.0.0.2", new AtomicInteger()));
    }

    private static String url(String path) {
        return "http://127.0.0.2:" + port + path;
    }

    private static FetchException failure(PageFetcher f, String url) {
        return assertThrows(FetchException.class, () -> f.fetch(url, null).await().atMost(Duration.ofSeconds(20)));
    }

    @Test
    void anExplicitlyAllowedLocalHostIsFetchedWithItsCharsetAndTheConfiguredUserAgent() {
        FetchedPage page = fetcher().fetch(url("/page"), null).await().atMost(Duration.ofSeconds(10));
        assertEquals(200, page.status());
        assertEquals("text/html", page.contentType());
        assertEquals(StandardCharsets.ISO_8859_1, page.declaredCharset());
        assertTrue(new String(page.body(), StandardCharsets.ISO_8859_1).contains("caf\u00e9"));
        assertEquals("SluiceTest/1.0", SEEN_HEADERS.get("user-agent"));
        assertNull(SEEN_HEADERS.get("cookie"));
        assertNull(SEEN_HEADERS.get("authorization"));
    }

    @Test
    void theLoopbackServerItselfIsRefused() {
        assertEquals(FetchException.URL_NOT_ALLOWED, failure(fetcher(), "http://127.0.0.1:" + port + "/page").code());
    }

    @Test
    void aRedirectToTheMetadataServiceIsRefused() {
        assertEquals(FetchException.URL_NOT_ALLOWED, failure(fetcher(), url("/to-metadata")).code());
    }

    @Test
    void aRedirectToLocalhostIsRefused() {
        assertEquals(FetchException.URL_NOT_ALLOWED, failure(fetcher(), url("/to-loopback-name")).code());
    }

    @Test
    void fiveRedirectsAreFollowedWithoutCookiesButSixAreTooMany() {
        FetchedPage page = fetcher().fetch(url("/hop/4"), null).await().atMost(Duration.ofSeconds(10));
        assertEquals(url("/page"), page.finalUrl());
        assertNull(SEEN_HEADERS.get("cookie"), "cookies set by a redirect are never sent back");
        FetchException e = failure(fetcher(), url("/hop/5"));
        assertEquals(FetchException.FETCH_FAILED, e.code());
        assertTrue(e.getMessage().contains("redirects"));
    }

    @Test
    void dnsRebindingCannotSlipInBecauseTheCheckedAddressIsTheOneConnectedTo() {
        AtomicInteger lookups = new AtomicInteger();
        // a malicious resolver: the first answer passes the guard, any later answer points at loopback
        HostResolver rebinding = (host, within) -> {
            String answer = lookups.incrementAndGet() == 1 ? "127.0.0.2" : "127.0.0.1";
            try {
                return Uni.createFrom().item(List.of(InetAddress.getByName(answer)));
            } catch (Exception e) {
                return Uni.createFrom().failure(e);
            }
        };
        PageFetcher f = new PageFetcher(vertx, settings(Duration.ofSeconds(5), 100_000), rebinding);
        FetchedPage page = f.fetch("http://fetch-me.test:" + port + "/page", null).await().atMost(Duration.ofSeconds(10));
        String body = new String(page.body(), StandardCharsets.ISO_8859_1);
        assertTrue(body.contains("caf"), body);
        assertTrue(!body.contains("SECRET"));
        assertEquals(1, lookups.get(), "the host is resolved exactly once");
        assertEquals("fetch-me.test:" + port, SEEN_HEADERS.get("host"), "the Host header keeps the name");
    }

    @Test
    void aNameResolvingToAPrivateAddressIsRefused() {
        PageFetcher f = new PageFetcher(vertx, settings(Duration.ofSeconds(5), 100_000),
                (host, within) -> Uni.createFrom().item(() -> {
                    try {
                        return List.of(InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.1.1.1"));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
        FetchException e = failure(f, "http://innocent.example/");
        assertEquals(FetchException.URL_NOT_ALLOWED, e.code());
        assertTrue(e.getMessage().contains("private"), e.getMessage());
    }

    @Test
    void oversizedBodiesAreRefusedWhetherDeclaredChunkedOrCompressed() {
        assertEquals(FetchException.TOO_LARGE, failure(fetcher(), url("/big")).code());
        assertEquals(FetchException.TOO_LARGE, failure(fetcher(), url("/big-chunked")).code());
        assertEquals(FetchException.TOO_LARGE, failure(fetcher(), url("/bomb")).code(),
                "the cap applies after decompression");
    }

    @Test
    void aSlowBodyEndsWithATimeoutWithinTheDeadline() {
        PageFetcher f = new PageFetcher(vertx, settings(Duration.ofMillis(1500), 100_000), fixed("127.0.0.2", new AtomicInteger()));
        long start = System.nanoTime();
        FetchException e = failure(f, url("/slow"));
        assertEquals(FetchException.FETCH_TIMEOUT, e.code());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "the fetch ended near its deadline");
    }

    @Test
    void imagesCanBeFetchedWhenAskedForWithTheirOwnCap() {
        FetchedPage png = fetcher().fetch(url("/image.png"), null, java.util.Set.of("image/*"), 1000)
                .await().atMost(Duration.ofSeconds(10));
        assertEquals("image/png", png.contentType());
        assertEquals(8, png.body().length);
        assertEquals(FetchException.TOO_LARGE, assertThrows(FetchException.class, () -> fetcher()
                .fetch(url("/image.png"), null, java.util.Set.of("image/*"), 4).await().atMost(Duration.ofSeconds(10))).code());
        assertEquals(FetchException.UNSUPPORTED_CONTENT_TYPE, assertThrows(FetchException.class, () -> fetcher()
                .fetch(url("/page"), null, java.util.Set.of("image/*"), 1000).await().atMost(Duration.ofSeconds(10))).code());
    }

    @Test
    void wrongContentTypesAreRefused() {
        assertEquals(FetchException.UNSUPPORTED_CONTENT_TYPE, failure(fetcher(), url("/zip")).code());
    }

    @Test
    void pdfsAreFetchedWithTheirTypeAndRecognisedByTheirSignatureWhenUntyped() {
        for (String path : List.of("/pdf", "/untyped-pdf")) {
            FetchedPage page = fetcher().fetch(url(path), null).await().atMost(Duration.ofSeconds(10));
            assertEquals("application/pdf", page.contentType(), path);
        }
    }

    @Test
    void aResponseWhoseHeadersExceedTheCapIsAFetchFailure() {
        FetchException e = failure(fetcher(), url("/huge-header"));
        assertEquals(FetchException.FETCH_FAILED, e.code());
        assertTrue(e.getMessage().contains("headers are too large"), e.getMessage());
    }

    @Test
    void aResponseWithoutContentTypeIsReadOnlyWhenItsBodyIsClearlyHtml() {
        FetchedPage page = fetcher().fetch(url("/untyped-html"), null).await().atMost(Duration.ofSeconds(10));
        assertEquals("text/html", page.contentType());
        assertTrue(new String(page.body(), StandardCharsets.UTF_8).contains("clearly HTML"));
        for (String path : List.of("/untyped-json", "/untyped-prose")) {
            FetchException e = failure(fetcher(), url(path));
            assertEquals(FetchException.UNSUPPORTED_CONTENT_TYPE, e.code(), path);
            assertTrue(e.getMessage().contains("no Content-Type"), e.getMessage());
        }
        assertEquals(FetchException.UNSUPPORTED_CONTENT_TYPE, assertThrows(FetchException.class, () -> fetcher()
                .fetch(url("/untyped-html"), null, java.util.Set.of("image/*"), 1000)
                .await().atMost(Duration.ofSeconds(10))).code(), "an image fetch never guesses");
    }

    @Test
    void anErrorStatusIsReportedWithThePagesStatus() {
        FetchException e = failure(fetcher(), url("/missing"));
        assertEquals(FetchException.UPSTREAM_STATUS, e.code());
        assertEquals(404, e.pageStatus());
    }

    @Test
    void anUnreachableHostIsAFetchFailure() {
        PageFetcher f = new PageFetcher(vertx, settings(Duration.ofSeconds(5), 100_000), fixed("127.0.0.2", new AtomicInteger()));
        assertEquals(FetchException.FETCH_FAILED, failure(f, "http://127.0.0.2:1/").code());
    }
}
