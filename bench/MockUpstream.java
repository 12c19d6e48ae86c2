import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fast mock of OpenAI's chat completions API for the benchmarks (bench/run.sh). It is a separate process, so
 * that the gateway and the upstream do not share a JVM, and it does as little as possible per request.
 *
 * <ul>
 *   <li>{@code POST .../chat/completions} without {@code "stream": true}: a fixed {@code chat.completion} JSON
 *       body for model {@code gpt-4o} with a usage block (the same bytes every time).</li>
 *   <li>With {@code "stream": true}: an SSE stream: a role chunk, {@code chunks} content chunks spaced
 *       {@code gap_us} microseconds apart, a finish chunk, a usage chunk, then {@code data: [DONE]}. Content
 *       chunk i carries {@code "i:<System.nanoTime() when sent> "}, so that a client on the same machine can check
 *       the sequence (nothing lost, duplicated or reordered) and measure each chunk's delay: on Linux
 *       {@code nanoTime} is CLOCK_MONOTONIC, shared by every process. A request may override the defaults with
 *       the extra body fields {@code "bench_chunks": N}, {@code "bench_gap_us": N} and {@code "bench_ttft_us": N}
 *       (Sluice passes unknown fields upstream unchanged).</li>
 *   <li>{@code GET /stats}: requests and streams served since start, streams open now, the peak of concurrent
 *       streams; {@code POST /stats} starts a new peak from the streams open now.</li>
 *   <li>{@code POST /v1/traces}: an OTLP/HTTP trace sink (bench/run.sh with {@code TRACING=on} starts a second
 *       instance as one): counts the exports and their bytes, answers 200 with an empty export response.</li>
 * </ul>
 *
 * <p>Usage: {@code java -cp 'target/quarkus-app/lib/main/*' bench/MockUpstream.java --port 18401
 * [--chunks 20] [--gap-us 10000] [--ttft-us 0] [--threads 2]}
 */
public final class MockUpstream {

    static final String COMPLETION = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,"
            + "\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
            + "\"Hello there\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,"
            + "\"total_tokens\":11}}";
    static final String CHUNK_HEAD = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1700000000,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":";

    static int defaultChunks = 20;
    static long defaultGapUs = 10_000;
    static long defaultTtftUs = 0;

    static final AtomicLong requests = new AtomicLong();
    static final AtomicLong streamsServed = new AtomicLong();
    static final AtomicLong traceExports = new AtomicLong();
    static final AtomicLong traceBytes = new AtomicLong();
    static final AtomicInteger openStreams = new AtomicInteger();
    static final AtomicInteger peakStreams = new AtomicInteger();

    public static void main(String[] args) throws Exception {
        int port = 18401;
        int threads = 2;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--chunks" -> defaultChunks = Integer.parseInt(args[i + 1]);
                case "--gap-us" -> defaultGapUs = Long.parseLong(args[i + 1]);
                case "--ttft-us" -> defaultTtftUs = Long.parseLong(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(threads).setPreferNativeTransport(true));
        int p = port;
        CountDownLatch started = new CountDownLatch(1);
        vertx.deployVerticle(() -> new Server(p), new DeploymentOptions().setInstances(threads))
                .onSuccess(id -> started.countDown())
                .onFailure(f -> {
                    System.err.println("mock upstream: cannot listen on " + p + ": " + f);
                    System.exit(1);
                });
        started.await();
        System.out.println("mock upstream listening on 127.0.0.1:" + port + " (" + threads + " threads)");
    }

    static final class Server extends AbstractVerticle {
        private final int port;
        private final Buffer completion = Buffer.buffer(COMPLETION);
        private final String completionLength = Integer.toString(completion.length());

        Server(int port) {
            this.port = port;
        }

        @Override
        public void start(io.vertx.core.Promise<Void> promise) {
            vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
                            .setTcpNoDelay(true).setAcceptBacklog(4096).setIdleTimeout(0))
                    .requestHandler(this::handle)
                    .listen()
                    .<Void>mapEmpty()
                    .onComplete(promise);
        }

        private void handle(HttpServerRequest req) {
            String path = req.path();
            if (path.equals("/stats")) {
                if (req.method().name().equals("POST")) {
                    peakStreams.set(openStreams.get());
                }
                req.response().putHeader("content-type", "application/json").end("{\"requests\":" + requests.get()
                        + ",\"streams\":" + streamsServed.get() + ",\"open_streams\":" + openStreams.get()
                        + ",\"peak_streams\":" + peakStreams.get() + ",\"trace_exports\":" + traceExports.get()
                        + ",\"trace_bytes\":" + traceBytes.get() + "}");
                return;
            }
            if (path.equals("/v1/traces")) {
                req.body().onSuccess(body -> {
                    traceExports.incrementAndGet();
                    traceBytes.addAndGet(body.length());
                    // an empty ExportTraceServiceResponse: everything accepted
                    req.response().putHeader("content-type", "application/x-protobuf").end();
                });
                return;
            }
            if (!path.endsWith("/chat/completions")) {
                req.response().setStatusCode(404).putHeader("content-type", "application/json")
                        .end("{\"error\":{\"message\":\"mock upstream: no route " + path + "\",\"type\":"
                                + "\"invalid_request_error\",\"param\":null,\"code\":null}}");
                return;
            }
            req.body().onSuccess(body -> {
                requests.incrementAndGet();
                String text = body.toString(StandardCharsets.UTF_8);
                if (flag(text, "\"stream\"")) {
                    stream(req.response(), (int) number(text, "\"bench_chunks\"", defaultChunks),
                            number(text, "\"bench_gap_us\"", defaultGapUs), number(text, "\"bench_ttft_us\"", defaultTtftUs));
                } else {
                    req.response().putHeader("content-type", "application/json")
                            .putHeader("content-length", completionLength)
                            .end(completion);
                }
            });
        }

        private void stream(HttpServerResponse res, int chunks, long gapUs, long ttftUs) {
            streamsServed.incrementAndGet();
            int open = openStreams.incrementAndGet();
            peakStreams.accumulateAndGet(open, Math::max);
            res.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
            res.write(CHUNK_HEAD + "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
            int[] next = {0};
            long[] timer = {-1};
            boolean[] closed = {false};
            res.closeHandler(v -> {
                if (!closed[0]) {
                    closed[0] = true;
                    openStreams.decrementAndGet();
                    if (timer[0] >= 0) {
                        vertx.cancelTimer(timer[0]);
                    }
                }
            });
            Runnable emit = new Runnable() {
                @Override
                public void run() {
                    if (closed[0]) {
                        return;
                    }
                    int i = next[0]++;
                    if (i < chunks) {
                        res.write(CHUNK_HEAD + "{\"content\":\"" + i + ":" + System.nanoTime()
                                + " \"},\"finish_reason\":null}]}\n\n");
                    }
                    if (i + 1 >= chunks) {
                        closed[0] = true;
                        openStreams.decrementAndGet();
                        res.write(CHUNK_HEAD + "{},\"finish_reason\":\"stop\"}]}\n\n");
                        res.write("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
                                + "\"created\":1700000000,\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{"
                                + "\"prompt_tokens\":9,\"completion_tokens\":" + chunks + ",\"total_tokens\":"
                                + (9 + chunks) + "}}\n\n");
                        res.end("data: [DONE]\n\n");
                    } else if (gapUs <= 0) {
                        run();
                    } else {
                        timer[0] = vertx.setTimer(Math.max(1, gapUs / 1000), id -> run());
                    }
                }
            };
            if (ttftUs <= 0) {
                emit.run();
            } else {
                timer[0] = vertx.setTimer(Math.max(1, ttftUs / 1000), id -> emit.run());
            }
        }
    }

    /** True when {@code "name": true} appears in the JSON text (whitespace allowed around the colon). */
    static boolean flag(String json, String name) {
        int at = json.indexOf(name);
        if (at < 0) {
            return false;
        }
        int i = skip(json, at + name.length());
        return json.startsWith("true", i);
    }

    /** The integer after {@code "name":}, or the default. */
    static long number(String json, String name, long dflt) {
        int at = json.indexOf(name);
        if (at < 0) {
            return dflt;
        }
        int i = skip(json, at + name.length());
        int end = i;
        while (end < json.length() && Character.isDigit(json.charAt(end))) {
            end++;
        }
        return end > i ? Long.parseLong(json.substring(i, end)) : dflt;
    }

    private static int skip(String json, int i) {
        while (i < json.length() && (json.charAt(i) == ' ' || json.charAt(i) == ':' || json.charAt(i) == '\t'
                || json.charAt(i) == '\n' || json.charAt(i) == '\r')) {
            i++;
        }
        return i;
    }
}
