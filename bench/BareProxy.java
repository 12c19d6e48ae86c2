import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * The benchmark's floor for throughput, CPU and latency: the least a gateway in front of an OpenAI-style upstream
 * has to do, in plain Vert.x, so that bench/run.sh can report Sluice as a ratio to it measured in the same run
 * (absolute figures move by a third from hour to hour on a shared machine; the ratio does not).
 *
 * <p>Per request, and nothing else: check {@code Authorization: Bearer <key>} against one configured key (401
 * otherwise); read the whole body and parse it as JSON with Jackson, the library Sluice uses (400 if it is not
 * JSON); forward the original bytes to the upstream over a pooled keep-alive HttpClient (one per event loop, so a
 * request never changes thread); relay the status, the content type and the body as it comes (streams included).
 * No routing, no ledger, no metrics, no logging.
 *
 * <p>Usage: {@code java -cp 'target/quarkus-app/lib/main/*' bench/BareProxy.java --port 18405
 * --upstream http://127.0.0.1:18401 --key sk-... [--threads N]} ({@code --threads}: event loops, by default
 * Vert.x's, twice the cores, as Quarkus does for Sluice). {@code GET /ready} answers 200 once it listens.
 */
public final class BareProxy {

    static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int port = 18405;
        String upstream = null;
        String key = null;
        int threads = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--upstream" -> upstream = args[i + 1];
                case "--key" -> key = args[i + 1];
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (upstream == null || key == null) {
            throw new IllegalArgumentException("--upstream http://host:port and --key are required");
        }
        java.net.URI u = java.net.URI.create(upstream);
        String host = u.getHost();
        int upstreamPort = u.getPort() > 0 ? u.getPort() : 80;
        String expected = "Bearer " + key;
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(threads).setPreferNativeTransport(true));
        int p = port;
        CountDownLatch started = new CountDownLatch(1);
        vertx.deployVerticle(() -> new Proxy(p, host, upstreamPort, expected), new DeploymentOptions().setInstances(threads))
                .onSuccess(id -> started.countDown())
                .onFailure(f -> {
                    System.err.println("bare proxy: cannot listen on " + p + ": " + f);
                    System.exit(1);
                });
        started.await();
        System.out.println("bare proxy on " + port + " -> " + host + ":" + upstreamPort + ", " + threads + " event loops");
    }

    /** One per event loop: its own server instance (Vert.x shares the port) and its own upstream pool. */
    static final class Proxy extends AbstractVerticle {
        private final int port;
        private final String upstreamHost;
        private final int upstreamPort;
        private final String expected;
        private HttpClient client;

        Proxy(int port, String upstreamHost, int upstreamPort, String expected) {
            this.port = port;
            this.upstreamHost = upstreamHost;
            this.upstreamPort = upstreamPort;
            this.expected = expected;
        }

        @Override
        public void start(io.vertx.core.Promise<Void> startPromise) {
            client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(256)
                    .setPipelining(false).setTcpNoDelay(true));
            vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setIdleTimeout(0))
                    .requestHandler(this::handle)
                    .listen(port, "127.0.0.1")
                    .<Void>mapEmpty()
                    .onComplete(startPromise);
        }

        private void handle(HttpServerRequest req) {
            HttpServerResponse res = req.response();
            if (req.method() == HttpMethod.GET && "/ready".equals(req.path())) {
                res.end("ok");
                return;
            }
            if (!expected.equals(req.getHeader(HttpHeaders.AUTHORIZATION))) {
                res.setStatusCode(401).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end("{\"error\":{\"message\":\"invalid key\",\"type\":\"invalid_request_error\"}}");
                return;
            }
            req.body().onSuccess(body -> forward(req, res, body))
                    .onFailure(e -> { if (!res.ended()) res.setStatusCode(400).end(); });
        }

        private void forward(HttpServerRequest req, HttpServerResponse res, Buffer body) {
            try {
                JSON.readTree(body.getBytes());
            } catch (IOException e) {
                res.setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end("{\"error\":{\"message\":\"the body is not JSON\",\"type\":\"invalid_request_error\"}}");
                return;
            }
            RequestOptions options = new RequestOptions().setMethod(req.method()).setHost(upstreamHost)
                    .setPort(upstreamPort).setURI(req.uri())
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
            client.request(options)
                    .compose(up -> up.send(body))
                    .onSuccess(up -> relay(up, res))
                    .onFailure(e -> { if (!res.headWritten()) res.setStatusCode(502).end(); else res.reset(); });
        }

        private static void relay(HttpClientResponse up, HttpServerResponse res) {
            res.setStatusCode(up.statusCode());
            String type = up.getHeader(HttpHeaders.CONTENT_TYPE);
            if (type != null) {
                res.putHeader(HttpHeaders.CONTENT_TYPE, type);
            }
            String length = up.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null) {
                res.putHeader(HttpHeaders.CONTENT_LENGTH, length);
            } else {
                res.setChunked(true);
            }
            up.pipeTo(res);   // each upstream buffer is written as it arrives, with back-pressure
        }
    }
}
