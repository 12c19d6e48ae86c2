package dev.sluice.provider;

import dev.sluice.api.Secrets;
import dev.sluice.config.SluiceConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The providers Sluice can call, built once at start-up from {@code sluice.providers.*}: a provider is enabled
 * when it has a key (or, for keyless local servers, a base URL) and is not switched off. A configuration that
 * names an unknown protocol stops start-up with a clear message rather than failing on the first request.
 */
@Startup
@ApplicationScoped
public class ProviderRegistry {

    private final Map<String, ProviderFactory> factories;
    private final Map<String, Provider> enabled;
    private final Map<String, List<String>> configuredModels;
    private final Map<String, String> disabledReasons;

    @Inject
    public ProviderRegistry(SluiceConfig config, Instance<ProviderFactory> factories) {
        Map<String, ProviderFactory> byKind = new LinkedHashMap<>();
        for (ProviderFactory f : factories) {
            byKind.put(f.kind(), f);
        }
        Map<String, Provider> on = new TreeMap<>();
        Map<String, String> off = new TreeMap<>();
        Map<String, List<String>> models = new TreeMap<>();
        config.providers().forEach((name, pc) -> {
            Optional<String> key = pc.apiKey().map(String::strip).filter(s -> !s.isEmpty());
            Optional<String> base = pc.baseUrl().map(String::strip).filter(s -> !s.isEmpty());
            key.ifPresent(Secrets::register);
            String kind = pc.kind().toLowerCase(Locale.ROOT);
            String envKey = name.toUpperCase(Locale.ROOT).replace('-', '_');
            if (!pc.enabled()) {
                off.put(name, "it is switched off (sluice.providers." + name + ".enabled=false)");
                return;
            }
            ProviderFactory factory = byKind.get(kind);
            if (factory == null) {
                throw new IllegalStateException("sluice.providers." + name + ".kind=" + kind
                        + " is not a known protocol; known: " + byKind.keySet());
            }
            ProviderOptions options = new ProviderOptions(name, pc.options());
            if (base.isEmpty()) {
                base = factory.defaultBaseUrl(name, options);
            }
            if (base.isEmpty()) {
                off.put(name, "it has no base URL (set " + factory.baseUrlVariable(name) + " or SLUICE_PROVIDERS_"
                        + envKey + "_BASE_URL)");
                return;
            }
            if (key.isEmpty() && !pc.keyless() && !factory.hasOtherCredentials(name, options)) {
                off.put(name, factory.missingCredentials(name));
                return;
            }
            String url = normaliseBaseUrl(base.get(), pc.keyless() && "openai".equals(kind));
            ProviderSettings settings = new ProviderSettings(name, kind, url, key, Map.copyOf(pc.headers()),
                    pc.models().orElse(List.of()), pc.timeout().orElse(config.upstream().timeout()),
                    Map.copyOf(pc.options()));
            on.put(name, factory.create(settings));
            models.put(name, settings.models());
        });
        this.factories = Collections.unmodifiableMap(byKind);
        this.enabled = Collections.unmodifiableMap(on);
        this.disabledReasons = Collections.unmodifiableMap(off);
        this.configuredModels = Collections.unmodifiableMap(models);
        Log.infof("Providers enabled: %s", on.isEmpty() ? "none (set a provider key, e.g. OPENAI_API_KEY)" : on.keySet());
    }

    /**
     * A base URL without its trailing slash; for local OpenAI-compatible servers (Ollama, vLLM) whose
     * conventional address omits it, the {@code /v1} API path is added.
     */
    public static String normaliseBaseUrl(String url, boolean addV1) {
        String u = url;
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        if (addV1 && !u.matches(".*/v\\d+[a-z0-9]*$")) {
            u = u + "/v1";
        }
        return u;
    }

    /** The wire protocols this build can speak ({@code openai}, and the native adapters present). */
    public Collection<String> kinds() {
        return factories.keySet();
    }

    /**
     * Builds a provider outside {@code sluice.providers.*}, e.g. one deployment of a model group with its own
     * key, base URL and timeouts. Its key is registered as a secret.
     *
     * @throws IllegalArgumentException when no adapter speaks the settings' protocol
     */
    public Provider create(ProviderSettings settings) {
        ProviderFactory factory = factories.get(settings.kind());
        if (factory == null) {
            throw new IllegalArgumentException("protocol '" + settings.kind() + "' is not available; known: "
                    + factories.keySet());
        }
        settings.apiKey().ifPresent(Secrets::register);
        return factory.create(settings);
    }

    public Optional<Provider> get(String name) {
        return Optional.ofNullable(enabled.get(name));
    }

    public Collection<Provider> all() {
        return enabled.values();
    }

    /** Models configured for a provider in {@code sluice.providers.<name>.models}. */
    public List<String> configuredModels(String name) {
        return configuredModels.getOrDefault(name, List.of());
    }

    /** Whether the name is a provider Sluice knows, enabled or not. */
    public boolean known(String name) {
        return enabled.containsKey(name) || disabledReasons.containsKey(name);
    }

    /** Why a known provider is not enabled, for error messages. */
    public Optional<String> whyDisabled(String name) {
        return Optional.ofNullable(disabledReasons.get(name));
    }
}
