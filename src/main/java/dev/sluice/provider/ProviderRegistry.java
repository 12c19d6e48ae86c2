package dev.sluice.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.catalog.LiveCatalog;
import dev.sluice.secrets.Secrets;
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
    private final ProviderParts parts;
    private final Map<String, Provider> enabled;
    private final Map<String, List<String>> configuredModels;
    private final Map<String, String> disabledReasons;

    @Inject
    public ProviderRegistry(SluiceConfig config, Instance<ProviderFactory> factories, UpstreamHttp http,
                            ObjectMapper mapper, RemoteImages images, LiveCatalog catalog) {
        this.parts = new ProviderParts(http, mapper, config.upstream().streamIdleTimeout(), images, catalog::current);
        Map<String, ProviderFactory> byKind = new LinkedHashMap<>();
        for (ProviderFactory f : factories) {
            byKind.put(f.kind(), f);
        }
        Map<String, Provider> on = new TreeMap<>();
        Map<String, String> off = new TreeMap<>();
        Map<String, List<String>> models = new TreeMap<>();
        this.factories = Collections.unmodifiableMap(byKind);
        config.providers().forEach((name, pc) -> {
            nonBlank(pc.apiKey()).ifPresent(Secrets::register); // masked even where the provider is off
            if (!pc.enabled()) {
                off.put(name, "it is switched off (sluice.providers." + name + ".enabled=false)");
                return;
            }
            String kind = pc.kind().toLowerCase(Locale.ROOT);
            if (!byKind.containsKey(kind)) {
                throw new IllegalStateException("sluice.providers." + name + ".kind=" + kind
                        + " is not a known protocol; known: " + byKind.keySet());
            }
            ProviderDraft draft = new ProviderDraft(name, kind, nonBlank(pc.baseUrl()), nonBlank(pc.apiKey()),
                    pc.keyless(), pc.keyless() && byKind.get(kind).versionsKeylessBaseUrl(), Map.copyOf(pc.headers()),
                    Map.copyOf(pc.options()), pc.models().orElse(List.of()),
                    pc.timeout().orElse(config.upstream().timeout()), Optional.empty(), Optional.empty(),
                    ProviderDraft.SettingHint.ENVIRONMENT);
            Provision built = provision(draft);
            if (built.provider() == null) {
                off.put(name, built.unusable());
                return;
            }
            on.put(name, built.provider());
            models.put(name, draft.models());
        });
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

    /** Whether a keyless provider of this kind has {@code /v1} added to a base URL without an API version. */
    public boolean versionsKeylessBaseUrl(String kind) {
        ProviderFactory factory = factories.get(kind);
        return factory != null && factory.versionsKeylessBaseUrl();
    }

    /** A provider built from a draft, or (provider null) why none could be, naming what to set. */
    public record Provision(Provider provider, String unusable) {
    }

    /**
     * Builds a provider from its draft the one way Sluice builds providers: the protocol's default base URL when
     * none is configured, credentials the protocol finds elsewhere (AWS's environment) when there is no key, the
     * base URL normalised, and the key registered as a secret.
     */
    public Provision provision(ProviderDraft draft) {
        ProviderFactory factory = factories.get(draft.kind());
        if (factory == null) {
            return new Provision(null, "the '" + draft.kind() + "' protocol is not available in this build "
                    + "(available: " + String.join(", ", factories.keySet()) + ")");
        }
        draft.apiKey().ifPresent(Secrets::register);
        ProviderOptions options = new ProviderOptions(draft.name(), draft.options());
        Optional<String> base = draft.baseUrl().or(() -> factory.defaultBaseUrl(draft.name(), options));
        boolean deployment = draft.settingHint() == ProviderDraft.SettingHint.DEPLOYMENT;
        String envKey = draft.name().toUpperCase(Locale.ROOT).replace('-', '_');
        if (base.isEmpty()) {
            return new Provision(null, deployment
                    ? "it has no base URL (set its base-url, or sluice.providers." + draft.name() + ".base-url)"
                    : "it has no base URL (set " + factory.baseUrlVariable(draft.name()) + " or SLUICE_PROVIDERS_"
                    + envKey + "_BASE_URL)");
        }
        if (draft.apiKey().isEmpty() && !draft.keyless() && !factory.hasOtherCredentials(draft.name(), options)) {
            return new Provision(null, deployment
                    ? "it has no credentials (set its api-key, or sluice.providers." + draft.name() + ".api-key; "
                    + factory.missingCredentials(draft.name()) + ")"
                    : factory.missingCredentials(draft.name()));
        }
        ProviderSettings settings = new ProviderSettings(draft.name(), draft.kind(),
                normaliseBaseUrl(base.get(), draft.addV1()), draft.apiKey(), draft.headers(), draft.models(),
                draft.timeout(), draft.options(), draft.connectTimeout(), draft.streamIdleTimeout());
        try {
            return new Provision(factory.create(settings, parts), null);
        } catch (IllegalArgumentException e) {
            return new Provision(null, e.getMessage());
        }
    }

    private static Optional<String> nonBlank(Optional<String> value) {
        return value.map(String::strip).filter(s -> !s.isEmpty());
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
