package dev.sluice.logs;

import dev.sluice.config.SluiceConfig;
import dev.sluice.store.Database;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The request log as a whole: where rows are offered (never waited for), read back, and trimmed to the configured
 * age and size by a periodic task. The writer thread starts with the first row, so a gateway that never logs runs
 * no extra thread but the small retention timer.
 */
@ApplicationScoped
public class RequestLog {

    private final RequestLogConfig config;
    private final RequestLogStore store;
    private final SecretMask mask;
    private final MeterRegistry registry;
    private volatile LogWriter writer;
    private ScheduledExecutorService retention;

    @Inject
    public RequestLog(RequestLogConfig config, SluiceConfig sluice, Database database, MeterRegistry registry) {
        this.config = config;
        this.store = new RequestLogStore(database.dataSource());
        this.mask = new SecretMask(credentials(sluice), (int) Math.min(Integer.MAX_VALUE, config.maxBodyBytes().asLongValue()));
        this.registry = registry;
    }

    /**
     * Every credential value in the provider configuration: API keys, and options whose name says they hold one
     * (Bedrock's secret access key and session token...). The master key and routing-file keys are masked through
     * {@link dev.sluice.secrets.Secrets}, where they are registered when read.
     */
    static List<String> credentials(SluiceConfig sluice) {
        List<String> out = new ArrayList<>();
        for (SluiceConfig.ProviderConfig p : sluice.providers().values()) {
            p.apiKey().ifPresent(out::add);
            for (Map.Entry<String, String> o : p.options().entrySet()) {
                String name = o.getKey().toLowerCase(Locale.ROOT);
                if (name.contains("key") || name.contains("secret") || name.contains("token")
                        || name.contains("password")) {
                    out.add(o.getValue());
                }
            }
            for (Map.Entry<String, String> h : p.headers().entrySet()) {
                String name = h.getKey().toLowerCase(Locale.ROOT);
                if (name.contains("auth") || name.contains("key") || name.contains("token")) {
                    out.add(h.getValue());
                }
            }
        }
        sluice.masterKey().ifPresent(out::add);
        return out;
    }

    void start(@Observes StartupEvent event) {
        retention = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-request-log-retention");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1000, config.retentionInterval().toMillis());
        retention.scheduleWithFixedDelay(this::enforceRetention, every, every, TimeUnit.MILLISECONDS);
    }

    /** Writes what is queued before the datasource goes away. */
    void onStop(@Observes ShutdownEvent event) {
        close(5_000);
    }

    @PreDestroy
    void destroy() {
        close(0);
    }

    private synchronized void close(long waitMillis) {
        if (retention != null) {
            retention.shutdownNow();
            retention = null;
        }
        if (writer != null) {
            writer.close(waitMillis);
        }
    }

    RequestLogConfig config() {
        return config;
    }

    /** Queues a row for writing; false when it was dropped (queue full). Never blocks. */
    public boolean offer(LogEntry row) {
        LogWriter w = writer;
        if (w == null) {
            w = startWriter();
        }
        return w.offer(row);
    }

    private synchronized LogWriter startWriter() {
        if (writer == null) {
            writer = new LogWriter(config.queueSize(), config.maxBatch(), store::connection, RequestLogStore::insert,
                    mask, registry);
        }
        return writer;
    }

    /** Rows written so far by this replica. */
    public double written() {
        return writer == null ? 0 : writer.written();
    }

    /** Rows dropped so far by this replica (queue full, database refusing). */
    public double dropped() {
        return writer == null ? 0 : writer.dropped();
    }

    /** A page of rows, newest first (blocking). */
    RequestLogStore.Page list(LogFilter filter) {
        return store.list(filter);
    }

    /** One request's row, if it is the key's (any key's with null); blocking. */
    Optional<LogEntry> find(String requestId, String keyId) {
        return store.find(requestId, keyId);
    }

    /** Deletes rows older than {@code max-age}, then the oldest beyond {@code max-bytes} / {@code max-rows}. */
    public void enforceRetention() {
        try {
            int old = store.deleteOlderThan(System.currentTimeMillis() - config.maxAge().toMillis());
            int trimmed = store.trim(config.maxBytes().asLongValue(), config.maxRows().orElse(Long.MAX_VALUE));
            if (old + trimmed > 0) {
                Log.debugf("Request log: %d rows past max-age and %d beyond the size limits deleted", old, trimmed);
            }
        } catch (Exception e) {
            Log.warnf("Request log retention failed (retried at the next interval): %s", e.getMessage());
        }
    }
}
