package dev.sluice.routing;

import dev.sluice.secrets.Secrets;
import dev.sluice.config.SluiceConfig;
import dev.sluice.provider.ProviderRegistry;
import dev.sluice.routing.config.LiteLlmFile;
import dev.sluice.routing.config.RoutingFileException;
import dev.sluice.routing.config.RoutingFiles;
import dev.sluice.routing.config.RoutingSpec;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The routing table in force, loaded at start-up from {@code sluice.routing.config-file} and reloaded without a
 * restart when the files change ({@code sluice.routing.watch-interval}) or on {@code POST /admin/routes/reload}.
 * A broken file stops start-up with every problem listed; a broken reload keeps the table in force and says why.
 * Each reload swaps in a new immutable table: requests in flight keep the one they started with.
 */
@Startup
@ApplicationScoped
public class Routes {

    /** The outcome of a reload. */
    public record Reload(boolean changed, long version, List<String> sources, List<String> warnings) {
    }

    private final RoutingConfig config;
    private final RoutingTableBuilder builder;
    private final ModelResolver resolver;
    private final SluiceConfig sluice;
    private final Vertx vertx;
    private final List<Path> files;
    private final AtomicReference<RoutingTable> table = new AtomicReference<>();
    private final Set<String> reported = new HashSet<>();
    private volatile String lastFailedFingerprint;
    private volatile String lastReadProblem;
    private long watchTimer = -1;

    @Inject
    public Routes(RoutingConfig config, SluiceConfig sluice, ProviderRegistry registry, ModelResolver resolver,
                  RoutingMetrics metrics, Vertx vertx) {
        this.config = config;
        this.sluice = sluice;
        this.resolver = resolver;
        this.vertx = vertx;
        this.builder = new RoutingTableBuilder(config, sluice, registry, resolver, metrics);
        List<Path> paths = new ArrayList<>();
        config.configFile().orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty())
                .forEach(s -> paths.add(Path.of(s)));
        this.files = List.copyOf(paths);
        try {
            load(true);
        } catch (RoutingFileException e) {
            throw new IllegalStateException("sluice.routing.config-file: the routing configuration cannot be used:\n  - "
                    + String.join("\n  - ", e.problems()), null);
        }
        long every = config.watchInterval().toMillis();
        if (!files.isEmpty() && every > 0) {
            watchTimer = vertx.setPeriodic(every, id -> vertx.executeBlocking(() -> {
                watch();
                return null;
            }, false));
        }
    }

    /** The names clients may use for model groups: the groups and their visible aliases. */
    public List<String> publicNames() {
        RoutingTable t = table.get();
        List<String> names = new ArrayList<>(t.groups().keySet());
        t.aliases().keySet().stream().filter(a -> !t.hiddenAliases().contains(a)).forEach(names::add);
        return names;
    }

    /** Whether the name designates a model group (or an alias of one). */
    public boolean isGroup(String name) {
        return table.get().group(name).isPresent();
    }

    /** The table in force. */
    RoutingTable current() {
        return table.get();
    }

    /** Reloads the routing files now. Blocking (file I/O). */
    public Reload reload() {
        return load(true);
    }

    /** The routing files, empty when routing uses plain model names only. */
    public List<Path> files() {
        return files;
    }

    /** Reads and loads under the same lock as reloads, so a stale read never replaces a newer table. */
    private synchronized void watch() {
        RoutingFiles.Contents contents;
        try {
            contents = RoutingFiles.read(files);
        } catch (RoutingFileException e) {
            if (!e.getMessage().equals(lastReadProblem)) {
                lastReadProblem = e.getMessage();
                Log.errorf("Routing: %s; the routing in force is kept", e.getMessage());
            }
            return;
        }
        lastReadProblem = null;
        RoutingTable t = table.get();
        if (contents.fingerprint().equals(t.fingerprint()) || contents.fingerprint().equals(lastFailedFingerprint)) {
            return;
        }
        try {
            load(contents, false);
        } catch (RoutingFileException alreadyLogged) {
            // the table in force stays
        } catch (RuntimeException e) {
            lastFailedFingerprint = contents.fingerprint();
            Log.errorf("Routing: reload failed: %s", Secrets.redact(String.valueOf(e)));
        }
    }

    private synchronized Reload load(boolean force) {
        RoutingFiles.Contents contents = files.isEmpty() ? null : RoutingFiles.read(files);
        return load(contents, force);
    }

    private synchronized Reload load(RoutingFiles.Contents contents, boolean force) {
        RoutingTable previous = table.get();
        String fingerprint = contents == null ? "none" : contents.fingerprint();
        if (!force && previous != null && previous.fingerprint().equals(fingerprint)) {
            return new Reload(false, previous.version(), previous.sources(), previous.warnings());
        }
        RoutingSpec spec;
        try {
            spec = contents == null ? RoutingSpec.EMPTY : RoutingFiles.parse(contents, litellmProviders(),
                    Routes::lookup, name -> Optional.ofNullable(System.getenv(name)));
        } catch (RoutingFileException e) {
            lastFailedFingerprint = fingerprint;
            if (previous != null) {
                Log.errorf("Routing: the changed routing files cannot be used; the routing in force is kept:%n  - %s",
                        String.join("\n  - ", e.problems()));
            }
            throw e;
        }
        long version = previous == null ? 1 : previous.version() + 1;
        RoutingTable next = builder.build(spec, fingerprint, version, previous);
        table.set(next);
        lastFailedFingerprint = null;
        for (String w : next.warnings()) {
            if (reported.add(w)) {
                Log.warnf("Routing: %s", w);
            }
        }
        int deployments = next.groups().values().stream().mapToInt(g -> g.deployments().size()).sum();
        if (previous == null) {
            if (!files.isEmpty()) {
                Log.infof("Routing: %d model group(s), %d deployment(s) from %s", next.groups().size(), deployments,
                        next.sources());
            }
        } else {
            Log.infof("Routing: reloaded %s (version %d): %d model group(s), %d deployment(s)", next.sources(),
                    version, next.groups().size(), deployments);
        }
        return new Reload(true, version, next.sources(), next.warnings());
    }

    /** Values of {@code ${NAME}} in Sluice routing files: the environment, then Sluice's configuration. */
    static Optional<String> lookup(String name) {
        String env = System.getenv(name);
        if (env != null) {
            return Optional.of(env);
        }
        try {
            return ConfigProvider.getConfig().getOptionalValue(name, String.class);
        } catch (RuntimeException unresolvable) {
            return Optional.empty();
        }
    }

    private LiteLlmFile.Providers litellmProviders() {
        return new LiteLlmFile.Providers() {
            @Override
            public boolean known(String name) {
                return sluice.providers().containsKey(name);
            }

            @Override
            public Optional<String> forBareModel(String model) {
                return resolver.providerForBareName(model);
            }
        };
    }

    /** Puts one deployment (or every deployment when the id is null) back to a clean state. */
    public int reset(String deploymentId) {
        int n = 0;
        RoutingTable t = table.get();
        List<Deployment> all = new ArrayList<>(t.providers().values());
        t.groups().values().forEach(g -> all.addAll(g.deployments()));
        for (Deployment d : all) {
            if (deploymentId == null || d.id().equals(deploymentId)) {
                d.state().reset();
                n++;
            }
        }
        return n;
    }

    @PreDestroy
    void stop() {
        if (watchTimer >= 0) {
            vertx.cancelTimer(watchTimer);
        }
    }
}
