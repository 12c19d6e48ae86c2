package dev.sluice.provider;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.function.BiFunction;

/**
 * The common part of the adapters that call their upstream's JSON API through {@link JsonUpstream} (OpenAI,
 * Anthropic, Gemini, Bedrock): the provider's settings and profile, the mapper, the protocol's error reader and
 * the client that reads errors with it, built the same way for each.
 *
 * @param <E> the protocol's error reader
 */
public abstract class JsonProvider<E extends JsonUpstream.ErrorReader> implements Provider {

    protected final ProviderSettings settings;
    protected final ObjectMapper mapper;
    protected final E errors;
    protected final JsonUpstream upstream;
    private final ProviderProfile profile;

    /** @param errors the protocol's error reader for a provider name and the mapper */
    protected JsonProvider(ProviderSettings settings, ProviderParts parts, ProviderProfile profile,
                           BiFunction<String, ObjectMapper, E> errors) {
        this.settings = settings;
        this.profile = profile;
        this.mapper = parts.mapper();
        this.errors = errors.apply(settings.name(), mapper);
        this.upstream = new JsonUpstream(settings, parts, this.errors);
    }

    @Override
    public ProviderProfile profile() {
        return profile;
    }
}
