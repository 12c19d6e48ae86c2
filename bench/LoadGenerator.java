import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The benchmarks' own load generator (bench/run.sh), on Vert.x's HTTP client from Sluice's class path.
 *
 * <h2>{@code rate}: open-loop, fixed rate, coordinated omission accounted for</h2>
 * Request i is due at {@code start + i / rate}, whatever happened to the earlier ones; a scheduler thread hands
 * each to the client's event loop at its due time (a request finding every connection busy waits in the pool's
 * queue). Latency is measured from the <em>intended</em> send time to the last byte of the response, so a stall
 * of the server shows in every request that should have been sent during it (what wrk2 calls corrected latency);
 * the service time (from the actual send) is reported too. A warm-up at the same rate precedes the measurement
 * and is not counted.
 *
 * <pre>LoadGenerator rate --url URL --rate R --duration SECONDS [--warmup SECONDS] [--connections N]
 *     [--body JSON | --body-file FILE] [--header 'Name: value']... [--tag key=value]...</pre>
 *
 * <h2>{@code stream}: SSE streams, checked chunk by chunk</h2>
 * Sends {@code streams} streaming requests, {@code concurrency} at a time, to a server relaying
 * bench/MockUpstream's streams; every content chunk carries {@code "i:<nanoTime sent>"}. Each stream is checked:
 * chunks 0..n-1, each exactly once and in order, then {@code [DONE]}. Reports time to first token (request sent
 * to chunk 0 received), each chunk's delay (received minus the upstream's send time: on Linux {@code nanoTime}
 * is CLOCK_MONOTONIC, shared by the processes of one machine) and the gap between consecutive chunks.
 *
 * <pre>LoadGenerator stream --url URL --streams N --concurrency C --chunks K --gap-us G [--warmup-streams W]
 *     [--model M] [--header 'Name: value']... [--tag key=value]...</pre>
 *
 * Both modes print one JSON object on stdout (the figures, in milliseconds unless named otherwise), plus the
 * tags given.
 */
public final class LoadGenerator {

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: LoadGenerator rate|stream --url URL ...");
            System.exit(2);
        }
        Map<String, List<String>> opts = parse(args);
        String mode = args[0];
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true)
                .setBlockedThreadCheckInterval(60_000));
        try {
            String json = switch (mode) {
                case "rate" -> new RateRun(vertx, opts).run();
                case "stream" -> {
                    // unmeasured streams first, so that the client's own JIT warm-up does not show as first-token time
                    int warm = Integer.parseInt(one(opts, "warmup-streams", "0"));
                    if (warm > 0) {
                        Map<String, List<String>> w = new LinkedHashMap<>(opts);
                        w.put("streams", List.of(Integer.toString(warm)));
                        new StreamRun(vertx, w).run();
                    }
                    yield new StreamRun(vertx, opts).run();
                }
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            };
            System.out.println(json);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    static final class RateRun {
        final Vertx vertx;
        final Map<String, List<String>> opts;
        final URI url;
        final double rate;
        final double duration;
        final double warmup;
        final int connections;
        final Buffer body;
        final Map<String, String> headers;
        final HttpClient client;
        final Context context;

        RateRun(Vertx vertx, Map<String, List<String>> opts) throws Exception {
            this.vertx = vertx;
            this.opts = opts;
            this.url = URI.create(one(opts, "url", null));
            this.rate = Double.parseDouble(one(opts, "rate", "500"));
            this.duration = Double.parseDouble(one(opts, "duration", "15"));
            this.warmup = Double.parseDouble(one(opts, "warmup", "3"));
            this.connections = Integer.parseInt(one(opts, "connections", "256"));
            String file = opts.containsKey("body-file") ? one(opts, "body-file", "") : null;
            this.body = Buffer.buffer(file != null ? Files.readString(Path.of(file))
                    : one(opts, "body", "{\"model\":\"openai/gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));
            this.headers = headers(opts);
            this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                            .setIdleTimeout(0).setConnectTimeout(5000),
                    new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
            this.context = vertx.getOrCreateContext();
        }

        String run() throws Exception {
            if (warmup > 0) {
                phase((long) (rate * warmup), null);
            }
            int n = (int) Math.round(rate * duration);
            Phase p = phase(n, new long[n]);
            Map<String, Object> out = new LinkedHashMap<>();
            tags(opts, out);
            out.put("mode", "rate");
            out.put("url", url.toString());
            out.put("offered_rps", rate);
            out.put("duration_s", duration);
            out.put("connections", connections);
            out.put("requests", n);
            out.put("ok", p.ok.get());
            out.put("errors", p.errors.get());
            out.put("non2xx", p.non2xx.get());
            out.put("achieved_rps", round(p.ok.get() / ((p.lastEnd - p.firstStart) / 1e9), 1));
            out.put("max_send_lag_ms", ms(p.maxLag));
            long[] lat = p.latency;
            long[] svc = Arrays.copyOf(p.service, p.service.length);
            percentiles(out, "latency", lat, p.done.get());
            percentiles(out, "service", svc, p.done.get());
            if (p.overheadCount.get() > 0) {
                double[] oh = Arrays.copyOf(p.overheadMs, p.overheadCount.get());
                Arrays.sort(oh);
                out.put("sluice_overhead_header_p50_ms", round(pct(oh, 50), 3));
                out.put("sluice_overhead_header_p99_ms", round(pct(oh, 99), 3));
            }
            if (p.firstError != null) {
                out.put("first_error", p.firstError);
            }
            return toJson(out);
        }

        final class Phase {
            final long[] latency;
            final long[] service;
            final double[] overheadMs;
            final AtomicInteger overheadCount = new AtomicInteger();
            final AtomicInteger done = new AtomicInteger();
            final AtomicLong ok = new AtomicLong();
            final AtomicLong errors = new AtomicLong();
            final AtomicLong non2xx = new AtomicLong();
            volatile String firstError;
            long maxLag;
            long firstStart;
            volatile long lastEnd;

            Phase(long[] latency) {
                this.latency = latency;
                this.service = latency == null ? null : new long[latency.length];
                this.overheadMs = latency == null ? null : new double[latency.length];
            }
        }

        /** Sends n requests at the fixed rate; latency (when not null) receives one figure per request. */
        Phase phase(long n, long[] latency) throws InterruptedException {
            Phase p = new Phase(latency);
            CountDownLatch finished = new CountDownLatch((int) n);
            double intervalNanos = 1e9 / rate;
            long start = System.nanoTime() + 20_000_000L;
            p.firstStart = start;
            for (int i = 0; i < n; i++) {
                long due = start + (long) (i * intervalNanos);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    if (wait > 200_000) {
                        LockSupport.parkNanos(wait - 100_000);
                    } else if (wait > 20_000) {
                        Thread.onSpinWait();
                    } else {
                        Thread.onSpinWait();
                    }
                }
                long lag = System.nanoTime() - due;
                if (lag > p.maxLag) {
                    p.maxLag = lag;
                }
                int index = i;
                context.runOnContext(v -> send(p, index, due, finished));
            }
            if (!finished.await((long) (30 + duration), TimeUnit.SECONDS)) {
                System.err.println("rate: " + finished.getCount() + " requests did not finish in time");
            }
            return p;
        }

        void send(Phase p, int i, long intended, CountDownLatch finished) {
            long sent = System.nanoTime();
            RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setHost(url.getHost())
                    .setPort(url.getPort()).setURI(url.getRawPath()).setTimeout(30_000);
            headers.forEach(ro::putHeader);
            ro.putHeader("content-type", "application/json");
            client.request(ro)
                    .compose(req -> req.send(body))
                    .compose(res -> res.body().map(b -> {
                        String oh = res.getHeader("x-sluice-overhead-ms");
                        if (oh != null && p.overheadMs != null) {
                            try {
                                p.overheadMs[p.overheadCount.getAndIncrement()] = Double.parseDouble(oh);
                            } catch (RuntimeException ignored) {
                                // a malformed header is not the load generator's business
                            }
                        }
                        return res.statusCode();
                    }))
                    .onComplete(ar -> {
                        long end = System.nanoTime();
                        p.lastEnd = end;
                        if (ar.succeeded() && ar.result() / 100 == 2) {
                            p.ok.incrementAndGet();
                        } else if (ar.succeeded()) {
                            p.non2xx.incrementAndGet();
                            if (p.firstError == null) {
                                p.firstError = "HTTP " + ar.result();
                            }
                        } else {
                            p.errors.incrementAndGet();
                            if (p.firstError == null) {
                                p.firstError = String.valueOf(ar.cause());
                            }
                        }
                        if (p.latency != null) {
                            p.latency[i] = end - intended;
                            p.service[i] = end - sent;
                            p.done.incrementAndGet();
                        }
                        finished.countDown();
                    });
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    static final class StreamRun {
        final Vertx vertx;
        final Map<String, List<String>> opts;
        final URI url;
        final int streams;
        final int concurrency;
        final int chunks;
        final long gapUs;
        final Buffer body;
        final Map<String, String> headers;
        final HttpClient client;
        final Context context;

        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger completed = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicLong lost = new AtomicLong();
        final AtomicLong duplicated = new AtomicLong();
        final AtomicLong reordered = new AtomicLong();
        final AtomicLong noDone = new AtomicLong();
        final AtomicLong badStreams = new AtomicLong();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger peakInFlight = new AtomicInteger();
        volatile String firstError;
        long[] ttft;
        final AtomicInteger ttftCount = new AtomicInteger();
        long[] chunkDelay;
        final AtomicInteger chunkDelayCount = new AtomicInteger();
        long[] chunkGap;
        final AtomicInteger chunkGapCount = new AtomicInteger();
        CountDownLatch finished;

        StreamRun(Vertx vertx, Map<String, List<String>> opts) {
            this.vertx = vertx;
            this.opts = opts;
            this.url = URI.create(one(opts, "url", null));
            this.streams = Integer.parseInt(one(opts, "streams", "100"));
            this.concurrency = Integer.parseInt(one(opts, "concurrency", "10"));
            this.chunks = Integer.parseInt(one(opts, "chunks", "20"));
            this.gapUs = Long.parseLong(one(opts, "gap-us", "10000"));
            String model = one(opts, "model", "openai/gpt-4o");
            this.body = Buffer.buffer("{\"model\":\"" + model + "\",\"stream\":true,\"bench_chunks\":" + chunks
                    + ",\"bench_gap_us\":" + gapUs + ",\"max_tokens\":" + Math.max(16, chunks * 2)
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"Count\"}]}");
            this.headers = headers(opts);
            this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                            .setIdleTimeout(0).setConnectTimeout(10_000),
                    new PoolOptions().setHttp1MaxSize(concurrency).setMaxWaitQueueSize(-1));
            this.context = vertx.getOrCreateContext();
            this.ttft = new long[streams];
            this.chunkDelay = new long[streams * chunks];
            this.chunkGap = new long[streams * chunks];
        }

        String run() throws InterruptedException {
            finished = new CountDownLatch(streams);
            long t0 = System.nanoTime();
            context.runOnContext(v -> {
                for (int i = 0; i < Math.min(concurrency, streams); i++) {
                    next();
                }
            });
            long timeout = 60 + (long) streams * chunks * gapUs / 1_000_000L / Math.max(1, concurrency) * 4;
            boolean all = finished.await(timeout, TimeUnit.SECONDS);
            long wall = System.nanoTime() - t0;
            Map<String, Object> out = new LinkedHashMap<>();
            tags(opts, out);
            out.put("mode", "stream");
            out.put("url", url.toString());
            out.put("streams", streams);
            out.put("concurrency", concurrency);
            out.put("chunks", chunks);
            out.put("gap_ms", gapUs / 1000.0);
            out.put("completed", completed.get());
            out.put("failed", failed.get() + (all ? 0 : (int) finished.getCount()));
            out.put("bad_streams", badStreams.get());
            out.put("lost_chunks", lost.get());
            out.put("duplicated_chunks", duplicated.get());
            out.put("reordered_chunks", reordered.get());
            out.put("missing_done", noDone.get());
            out.put("peak_in_flight", peakInFlight.get());
            out.put("wall_s", round(wall / 1e9, 2));
            percentiles(out, "ttft", ttft, ttftCount.get());
            percentiles(out, "chunk_delay", chunkDelay, chunkDelayCount.get());
            percentiles(out, "chunk_gap", chunkGap, chunkGapCount.get());
            if (firstError != null) {
                out.put("first_error", firstError);
            }
            return toJson(out);
        }

        /** Starts the next stream, if any is left; runs on the event loop. */
        void next() {
            int index = started.getAndIncrement();
            if (index >= streams) {
                return;
            }
            int now = inFlight.incrementAndGet();
            peakInFlight.accumulateAndGet(now, Math::max);
            long sent = System.nanoTime();
            RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setHost(url.getHost())
                    .setPort(url.getPort()).setURI(url.getRawPath()).setTimeout(0);
            headers.forEach(ro::putHeader);
            ro.putHeader("content-type", "application/json").putHeader("accept", "text/event-stream");
            StreamCheck check = new StreamCheck(sent);
            client.request(ro)
                    .compose(req -> req.send(body))
                    .compose(res -> {
                        if (res.statusCode() != 200) {
                            return res.body().compose(b -> Future.failedFuture("HTTP " + res.statusCode() + ": "
                                    + b.toString(StandardCharsets.UTF_8)));
                        }
                        res.handler(buf -> check.feed(buf));
                        return res.end();
                    })
                    .onComplete(ar -> {
                        inFlight.decrementAndGet();
                        if (ar.succeeded()) {
                            check.finish();
                        } else {
                            failed.incrementAndGet();
                            if (firstError == null) {
                                firstError = String.valueOf(ar.cause());
                            }
                        }
                        finished.countDown();
                        next();
                    });
        }

        /** Parses one stream's SSE events as they arrive and checks the chunk sequence. */
        final class StreamCheck {
            final long sent;
            final StringBuilder pending = new StringBuilder();
            final java.util.BitSet seen = new java.util.BitSet();
            int highest = -1;
            boolean done;
            boolean bad;
            long lastArrival;

            StreamCheck(long sent) {
                this.sent = sent;
            }

            void feed(Buffer buf) {
                long arrival = System.nanoTime();
                pending.append(buf.toString(StandardCharsets.UTF_8));
                int end;
                while ((end = pending.indexOf("\n\n")) >= 0) {
                    String event = pending.substring(0, end);
                    pending.delete(0, end + 2);
                    event(event, arrival);
                }
            }

            void event(String event, long arrival) {
                for (String line : event.split("\n")) {
                    if (!line.startsWith("data:")) {
                        continue;
                    }
                    String data = line.substring(5).strip();
                    if (data.equals("[DONE]")) {
                        done = true;
                        continue;
                    }
                    if (done) {
                        bad = true; // data after [DONE]
                    }
                    int c = data.indexOf("\"content\"");
                    if (c < 0) {
                        if (data.contains("\"error\"")) {
                            bad = true;
                            if (firstError == null) {
                                firstError = "error event: " + data;
                            }
                        }
                        continue;
                    }
                    int from = c + 9;
                    while (from < data.length() && (data.charAt(from) == ' ' || data.charAt(from) == ':')) {
                        from++;
                    }
                    if (from >= data.length() || data.charAt(from) != '"') {
                        continue; // "content": null
                    }
                    from++;
                    int to = data.indexOf('"', from);
                    String content = data.substring(from, to).strip();
                    if (content.isEmpty()) {
                        continue; // the role chunk
                    }
                    int colon = content.indexOf(':');
                    int seq = Integer.parseInt(content.substring(0, colon));
                    long upstreamSent = Long.parseLong(content.substring(colon + 1));
                    if (seq < 0 || seq >= chunks) {
                        bad = true;
                        continue;
                    }
                    if (seen.get(seq)) {
                        duplicated.incrementAndGet();
                        bad = true;
                        continue;
                    }
                    if (seq < highest) {
                        reordered.incrementAndGet();
                        bad = true;
                    }
                    seen.set(seq);
                    highest = Math.max(highest, seq);
                    if (seq == 0) {
                        ttft[ttftCount.getAndIncrement()] = arrival - sent;
                    } else if (lastArrival > 0) {
                        int g = chunkGapCount.getAndIncrement();
                        if (g < chunkGap.length) {
                            chunkGap[g] = arrival - lastArrival;
                        }
                    }
                    lastArrival = arrival;
                    int d = chunkDelayCount.getAndIncrement();
                    if (d < chunkDelay.length) {
                        chunkDelay[d] = arrival - upstreamSent;
                    }
                }
            }

            void finish() {
                if (!pending.isEmpty() && !pending.toString().isBlank()) {
                    event(pending.toString(), System.nanoTime());
                }
                int missing = chunks - seen.cardinality();
                if (missing > 0) {
                    lost.addAndGet(missing);
                }
                if (!done) {
                    noDone.incrementAndGet();
                }
                if (bad || missing != 0 || !done) {
                    badStreams.incrementAndGet();
                } else {
                    completed.incrementAndGet();
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    static Map<String, List<String>> parse(String[] args) {
        Map<String, List<String>> opts = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value at " + args[i]);
            }
            opts.computeIfAbsent(args[i].substring(2), k -> new ArrayList<>()).add(args[++i]);
        }
        return opts;
    }

    static String one(Map<String, List<String>> opts, String name, String dflt) {
        List<String> v = opts.get(name);
        if (v == null || v.isEmpty()) {
            if (dflt == null) {
                throw new IllegalArgumentException("--" + name + " is required");
            }
            return dflt;
        }
        return v.get(v.size() - 1);
    }

    static Map<String, String> headers(Map<String, List<String>> opts) {
        Map<String, String> h = new LinkedHashMap<>();
        for (String s : opts.getOrDefault("header", List.of())) {
            int colon = s.indexOf(':');
            h.put(s.substring(0, colon).strip(), s.substring(colon + 1).strip());
        }
        return h;
    }

    static void tags(Map<String, List<String>> opts, Map<String, Object> out) {
        for (String t : opts.getOrDefault("tag", List.of())) {
            int eq = t.indexOf('=');
            out.put(t.substring(0, eq), t.substring(eq + 1));
        }
    }

    static void percentiles(Map<String, Object> out, String name, long[] values, int count) {
        if (values == null || count <= 0) {
            return;
        }
        long[] v = Arrays.copyOf(values, Math.min(count, values.length));
        Arrays.sort(v);
        out.put(name + "_p50_ms", ms(pct(v, 50)));
        out.put(name + "_p90_ms", ms(pct(v, 90)));
        out.put(name + "_p99_ms", ms(pct(v, 99)));
        out.put(name + "_p999_ms", ms(pct(v, 99.9)));
        out.put(name + "_max_ms", ms(v[v.length - 1]));
        out.put(name + "_mean_ms", ms((long) Arrays.stream(v).average().orElse(0)));
        out.put(name + "_count", v.length);
    }

    /** Nearest-rank percentile of sorted values. */
    static long pct(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double pct(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double ms(long nanos) {
        return round(nanos / 1e6, 3);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    static String toJson(Map<String, Object> map) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(e.getKey()).append("\":");
            Object v = e.getValue();
            if (v instanceof Number n) {
                double d = n.doubleValue();
                sb.append(d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d)
                        : String.format(Locale.ROOT, "%s", n));
            } else {
                sb.append('"').append(String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"")
                        .replace("\n", " ")).append('"');
            }
        }
        return sb.append('}').toString();
    }
}
