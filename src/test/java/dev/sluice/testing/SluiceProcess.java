package dev.sluice.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged application — the jar or the native executable, whichever the build produced (see
 * {@link PackagedApplication}) — running as a child process on a free port, for tests that need several instances,
 * a SIGTERM or a kill -9. Output goes to {@code target/it-logs/<name>.log}. Always closed (killed) by the test that
 * started it.
 */
public final class SluiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final Process process;

    private SluiceProcess(String name, int port, Process process) {
        this.name = name;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts an instance with these settings (system properties) and waits until it has started (not until it is
     * ready: readiness also reflects the store, which some tests deliberately make unreachable).
     */
    public static SluiceProcess start(String name, Map<String, String> settings) throws Exception {
        return start(name, settings, Map.of());
    }

    /** Like {@link #start(String, Map)}, with environment variables added to the child's environment. */
    public static SluiceProcess start(String name, Map<String, String> settings, Map<String, String> environment)
            throws Exception {
        PackagedApplication app = PackagedApplication.current();
        int port = freePort();
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.put("quarkus.http.port", String.valueOf(port));
        all.put("quarkus.http.host", "127.0.0.1");
        List<String> command = app.command(List.of("-Xmx256m"), all);
        Path logs = Files.createDirectories(Path.of("target", "it-logs"));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process p = builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile())).start();
        SluiceProcess instance = new SluiceProcess(name, port, p);
        try {
            instance.awaitReady(Duration.ofSeconds(90));
        } catch (Exception e) {
            instance.close();
            throw e;
        }
        return instance;
    }

    public int port() {
        return port;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM, as Kubernetes sends it: a graceful shutdown. */
    public void terminate() {
        process.destroy();
    }

    public Process process() {
        return process;
    }

    /** What the instance wrote to its console so far. */
    public String log() throws IOException {
        return Files.readString(Path.of("target", "it-logs", name + ".log"));
    }

    /** kill -9: no shutdown hook, no flush, nothing. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitReady(Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("instance " + name + " exited with " + process.exitValue()
                        + "; see target/it-logs/" + name + ".log");
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url("/q/health/started")))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("instance " + name + " not started within " + limit.toSeconds() + "s");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
