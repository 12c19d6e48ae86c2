package dev.sluice.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * What {@code GET /v1/models} adds to OpenAI's model object from the catalog, in the shape of OpenRouter's models
 * API (prices as decimal strings in USD per token, per image, per request), so that clients written for it read
 * Sluice's list unchanged.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelCard(@JsonProperty("context_length") Integer contextLength,
                        @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
                        Architecture architecture, Pricing pricing, List<String> capabilities,
                        @JsonProperty("deprecation_date") String deprecationDate) {

    @RegisterForReflection
    public record Architecture(@JsonProperty("input_modalities") List<String> inputModalities,
                               @JsonProperty("output_modalities") List<String> outputModalities) {
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Pricing(String prompt, String completion,
                          @JsonProperty("input_cache_read") String inputCacheRead,
                          @JsonProperty("input_cache_write") String inputCacheWrite, String image, String request) {
    }

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    public static ModelCard of(CatalogModel m) {
        ModelPrice p = m.price();
        Pricing pricing = p == null ? null : new Pricing(perToken(p.input()), perToken(p.output()),
                perToken(p.cachedInput()), perToken(p.cacheWrite()), plain(p.perImage()), plain(p.perRequest()));
        return new ModelCard(m.contextWindow() > 0 ? m.contextWindow() : null,
                m.maxOutput() > 0 ? m.maxOutput() : null,
                new Architecture(m.inputModalities(), m.outputModalities()), pricing,
                m.capabilities().stream().sorted().toList(), m.deprecationDate());
    }

    private static String perToken(BigDecimal perMillion) {
        return perMillion == null ? null
                : perMillion.divide(MILLION, 12, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static String plain(BigDecimal usd) {
        return usd == null ? null : usd.stripTrailingZeros().toPlainString();
    }
}
