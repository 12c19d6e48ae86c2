package dev.sluice.catalog;

import dev.sluice.secrets.Secrets;
import dev.sluice.config.SluiceConfig;
import dev.sluice.fetch.PageFetcher;
import dev.sluice.fetch.PageFetcher;
import dev.sluice.routing.config.RoutingFileException;
import dev.sluice.routing.config.RoutingFiles;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The model catalog in force: the catalog built into Sluice, with the models of {@code sluice.catalog.source}
 * laid over it. A catalog file is checked for changes like the routing files; a catalog URL is fetched through
 * the extract fetcher (its address checks and allow-lists: no SSRF), at start-up and every
 * {@code refresh-interval}. A source that cannot be read or parsed leaves the last good catalog in force, with a
 * warning and {@code sluice_catalog_refresh_total{result="failure"}}; the last good download is saved under the
 * data directory, so a restart while the URL is unreachable still starts with it.
 */
@ApplicationScoped
@Startup // read at start-up: a broken catalog file stops the start, and no request waits for the first read
public class LiveCatalog {

    /** The bundled catalog: {@code src/main/catalog/models.json}, copied here by the build and checked by its tests. */
    static final String BUNDLED = "catalog/models.json";
    private static final Set<String> JSON_TYPES = Set.of("application/json", "text/plain", "application/octet-stream");

    /** What the operator sees of the refresh source. */
    public record Status(String kind, String location, Instant lastSuccess, Instant lastFailure, String lastError) {
    }

    private final Catalog bundled;
    private final AtomicReference<Catalog> current = new AtomicReference<>();
    private final CatalogConfig config;
    private final Vertx vertx;
    /** Resolved on the first fetch: building the fetcher (HTTP client, DNS resolver, address table) can wait. */
    private final Instance<PageFetcher> fetcher;
    private final String kind;
    private final String location;
    private final Path savedCopy;
    private final Counter successes;
    private final Counter failures;
    private final AtomicBoolean fetching = new AtomicBoolean();
    private volatile String fingerprint;
    private volatile Instant lastSuccess;
    private volatile Instant lastFailure;
    private volatile String lastError;
    private long timer = -1;

    @Inject
    public LiveCatalog(CatalogConfig config, SluiceConfig sluice, Vertx vertx, Instance<PageFetcher> fetcher,
                       MeterRegistry registry) {
        this.config = config;
        this.vertx = vertx;
        this.fetcher = fetcher;
        this.bundled = loadBundled();
        current.set(bundled);
        String source = config.source().map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        String lower = source == null ? "" : source.toLowerCase(Locale.ROOT);
        this.kind = source == null ? "none" : lower.startsWith("https://") || lower.startsWith("http://") ? "url" : "file";
        this.location = source;
        this.successes = Counter.builder("sluice_catalog_refresh_total").tag("result", "success")
                .description("Refreshes of the model catalog from sluice.catalog.source").register(registry);
        this.failures = Counter.builder("sluice_catalog_refresh_total").tag("result", "failure")
                .description("Refreshes of the model catalog from sluice.catalog.source").register(registry);
        Gauge.builder("sluice_catalog_models", current, c -> c.get().models().size())
                .description("Models in the catalog in force").register(registry);
        Gauge.builder("sluice_catalog_last_success_seconds", this,
                        c -> c.lastSuccess == null ? 0 : c.lastSuccess.getEpochSecond())
                .description("When the catalog source was last read successfully (epoch seconds, 0: never)")
                .register(registry);
        if (kind.equals("url")) {
            if (lower.startsWith("http://") && !config.allowHttp()) {
                throw new IllegalStateException("sluice.catalog.source: " + Secrets.redact(source) + " is plain http; "
                        + "use https, or set sluice.catalog.allow-http=true for a mirror inside your network");
            }
            this.savedCopy = Path.of(sluice.dataDir(), "catalog", "source-" + shortHash(source) + ".json");
            loadSavedCopy();
            vertx.getDelegate().setTimer(1, id -> refresh().subscribe().with(ok -> { }, f -> { }));
            long every = config.refreshInterval().toMillis();
            if (every > 0) {
                timer = vertx.getDelegate().setPeriodic(every, id -> refresh().subscribe().with(ok -> { }, f -> { }));
            }
        } else if (kind.equals("file")) {
            this.savedCopy = null;
            try {
                readFile(true);
            } catch (RuntimeException e) {
                throw new IllegalStateException("sluice.catalog.source: the catalog cannot be used: "
                        + Secrets.redact(e.getMessage()), null);
            }
            long every = config.watchInterval().toMillis();
            if (every > 0) {
                timer = vertx.getDelegate().setPeriodic(every, id -> vertx.getDelegate().executeBlocking(() -> {
                    watch();
                    return null;
                }, false));
            }
        } else {
            this.savedCopy = null;
        }
        Catalog c = current.get();
        Log.infof("Catalog: %d models (bundled catalog of %s%s)", c.models().size(), bundled.asOf(),
                kind.equals("none") ? "" : ", refreshed from a " + kind);
    }

    /** The catalog in force. */
    public Catalog current() {
        return current.get();
    }

    /** The catalog built into this version of Sluice. */
    public Catalog bundled() {
        return bundled;
    }

    public Status status() {
        return new Status(kind, location == null ? null : Secrets.redact(location), lastSuccess, lastFailure, lastError);
    }

    /**
     * Reads the source again now (a file: if it changed; a URL: fetched). Completes with whether the catalog in
     * force came from it; never fails: a failure is recorded, logged and counted.
     */
    public Uni<Boolean> refresh() {
        if (kind.equals("file")) {
            return Uni.createFrom().item(() -> {
                watch();
                return lastError == null;
            }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        if (!kind.equals("url")) {
            return Uni.createFrom().item(false);
        }
        if (!fetching.compareAndSet(false, true)) {
            return Uni.createFrom().item(false);
        }
        return fetcher.get().fetch(location, config.fetchTimeout(), JSON_TYPES, config.maxSize().asLongValue())
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(page -> {
                    if (page.status() != 200) {
                        throw new CatalogException("answered HTTP " + page.status());
                    }
                    apply(CatalogFiles.parse(page.body(), "url", Secrets.redact(location), today()));
                    save(page.body());
                    return true;
                })
                .onFailure().recoverWithItem(f -> {
                    failed(f instanceof CatalogException ? f.getMessage() : f.getClass().getSimpleName() + ": "
                            + f.getMessage());
                    return false;
                })
                .eventually(() -> fetching.set(false));
    }

    /** Reads the catalog file if it changed since it was last read. Blocking. */
    private synchronized void watch() {
        try {
            readFile(false);
        } catch (RuntimeException e) {
            // recorded by readFile
        }
    }

    private synchronized void readFile(boolean atStart) {
        Path path = Path.of(location);
        try {
            RoutingFiles.Contents contents = RoutingFiles.read(List.of(path), "catalog file");
            if (!atStart && contents.fingerprint().equals(fingerprint)) {
                return;
            }
            String asOf = LocalDate.ofInstant(Files.getLastModifiedTime(path).toInstant(), ZoneOffset.UTC).toString();
            apply(CatalogFiles.parse(contents.bytes().get(0), "file", path.toString(), asOf));
            fingerprint = contents.fingerprint();
        } catch (RoutingFileException | CatalogException | IOException e) {
            String problem = e.getMessage();
            if (!problem.equals(lastError)) {
                failed(problem);
            } else {
                lastFailure = Instant.now();
            }
            if (atStart) {
                throw new CatalogException(problem);
            }
        }
    }

    private synchronized void apply(Catalog refreshed) {
        current.set(bundled.with(refreshed));
        lastSuccess = Instant.now();
        lastError = null;
        successes.increment();
        Catalog.Layer layer = refreshed.layers().get(0);
        Log.infof("Catalog: %d models from %s (%s)%s", layer.models(), layer.location(), layer.asOf(),
                layer.skipped() == 0 ? "" : ", " + layer.skipped() + " entries skipped as unreadable");
    }

    private void failed(String problem) {
        lastFailure = Instant.now();
        lastError = Secrets.redact(problem);
        failures.increment();
        Log.warnf("Catalog: %s could not be refreshed: %s; the catalog of %s stays in force",
                Secrets.redact(location), lastError, current.get().asOf());
    }

    private void loadSavedCopy() {
        if (!Files.isRegularFile(savedCopy)) {
            return;
        }
        try {
            Catalog saved = CatalogFiles.parse(Files.readAllBytes(savedCopy), "url",
                    Secrets.redact(location) + " (saved copy)",
                    LocalDate.ofInstant(Files.getLastModifiedTime(savedCopy).toInstant(), ZoneOffset.UTC).toString());
            current.set(bundled.with(saved));
        } catch (IOException | CatalogException e) {
            Log.warnf("Catalog: the saved copy %s cannot be used: %s", savedCopy, Secrets.redact(e.getMessage()));
        }
    }

    /** Keeps the last good download, written whole then moved, so a crash never leaves half a file. */
    private void save(byte[] body) {
        try {
            Files.createDirectories(savedCopy.getParent());
            Path tmp = savedCopy.resolveSibling(savedCopy.getFileName() + ".tmp");
            Files.write(tmp, body);
            Files.move(tmp, savedCopy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Log.warnf("Catalog: cannot save the downloaded catalog to %s: %s", savedCopy, e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.getDelegate().cancelTimer(timer);
        }
    }

    /** Reads the bundled catalog afresh (blocking: at start-up, or where no live catalog is running). */
    public static Catalog loadBundled() {
        try (InputStream in = LiveCatalog.class.getClassLoader().getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException(BUNDLED + " is missing from the application");
            }
            return CatalogFiles.parse(in.readAllBytes(), "bundled", "the bundled catalog", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String today() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    private static String shortHash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
