package dev.sluice.catalog;

import java.util.List;
import java.util.Set;

/**
 * One model as the catalog knows it.
 *
 * @param provider        the catalog's provider key ({@code openai}, {@code anthropic}, {@code gemini}, {@code bedrock}...):
 *                        a provider's configured name, or for the vendor protocols its kind
 * @param id              the id the provider's API knows
 * @param aliases         other names that mean this model: dated ids, OpenRouter-style {@code vendor/model} names
 * @param contextWindow   input plus output tokens the model accepts (0: not known)
 * @param maxOutput       the largest output the model produces (0: not known)
 * @param inputModalities {@code text}, {@code image}, {@code audio}, {@code file}...
 * @param outputModalities {@code text}, {@code image}, {@code embeddings}...
 * @param capabilities    what the model supports among {@link #CAPABILITIES}
 * @param price           its list price, null when the source gives none
 * @param deprecationDate the day the provider retires it (ISO date), or null
 * @param source          where this entry comes from: {@code bundled}, {@code file}, {@code url}, {@code override}
 * @param asOf            the date of that source
 */
public record CatalogModel(String provider, String id, List<String> aliases, int contextWindow, int maxOutput,
                           List<String> inputModalities, List<String> outputModalities, Set<String> capabilities,
                           ModelPrice price, String deprecationDate, String source, String asOf) {

    public static final String TOOLS = "tools";
    public static final String VISION = "vision";
    public static final String JSON_SCHEMA = "json_schema";
    public static final String REASONING = "reasoning";
    /** The capabilities a catalog entry may name. */
    public static final Set<String> CAPABILITIES = Set.of(TOOLS, VISION, JSON_SCHEMA, REASONING);

    /** The {@code provider/id} key the catalog files use. */
    public String key() {
        return provider + "/" + id;
    }

    public boolean supports(String capability) {
        return capabilities.contains(capability);
    }
}
