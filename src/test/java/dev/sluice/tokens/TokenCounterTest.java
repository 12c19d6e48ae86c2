package dev.sluice.tokens;

import dev.sluice.provider.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Token counts against published tokenizers: exact for OpenAI models, never below the real count for the other
 * families. The real counts were measured by {@code bench/token-calibration} on the fixture texts and are recorded
 * in {@code tokens/calibration.tsv}; the OpenAI columns come from an implementation independent of jtokkit.
 */
class TokenCounterTest {

    private static final TokenCounter TOKENS = new TokenCounter();

    /** One fixture text and its measured counts, by tokenizer. */
    private record Measured(String file, String text, Map<String, Integer> counts) {
        int max(String... tokenizers) {
            int max = 0;
            for (String t : tokenizers) {
                max = Math.max(max, counts.get(t));
            }
            return max;
        }
    }

    private static List<Measured> calibration() throws IOException {
        List<String> lines = read("calibration.tsv").lines().filter(l -> !l.isBlank()).toList();
        String[] header = lines.get(0).split("\t");
        List<Measured> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split("\t");
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (int i = 1; i < header.length; i++) {
                counts.put(header[i], Integer.parseInt(cells[i]));
            }
            out.add(new Measured(cells[0], read("calibration/" + cells[0]), counts));
        }
        assertTrue(out.size() >= 10, "the calibration covers the fixture texts");
        return out;
    }

    private static String read(String name) throws IOException {
        try (InputStream in = TokenCounterTest.class.getResourceAsStream("/tokens/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource tokens/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void openAiCountsAreExactWithTheModelsOwnEncoding() throws IOException {
        for (Measured m : calibration()) {
            int o200k = m.counts().get("o200k_base");
            int cl100k = m.counts().get("cl100k_base");
            for (String model : List.of("gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-nano", "gpt-5", "o1", "o3-mini",
                    "o4-mini", "chatgpt-4o-latest")) {
                assertEquals(o200k, TOKENS.count(m.text(), "openai", model), model + " on " + m.file());
            }
            for (String model : List.of("gpt-4", "gpt-4-turbo", "gpt-4-0613", "gpt-3.5-turbo", "text-embedding-3-small")) {
                assertEquals(cl100k, TOKENS.count(m.text(), "openai", model), model + " on " + m.file());
            }
            assertEquals(cl100k, TOKENS.count(m.text(), "azure", "gpt-35-turbo"), "Azure's spelling, " + m.file());
            assertEquals(o200k, TOKENS.count(m.text(), "azure", "gpt-4o"), m.file());
        }
    }

    @Test
    void theTwoOpenAiEncodingsTokenizeAKnownSentenceAsOpenAiDocumentsIt() {
        // OpenAI's tiktoken cookbook: [83, 1609, 5963, 374, 2294, 0] in cl100k_base; [83, 8251, 2488, 382, 2212, 0]
        // in o200k_base
        assertEquals(6, TOKENS.count("tiktoken is great!", "openai", "gpt-4"));
        assertEquals(6, TOKENS.count("tiktoken is great!", "openai", "gpt-4o"));
        assertEquals(0, TOKENS.count("", "openai", "gpt-4o"));
        assertEquals(0, TOKENS.count(null, "anthropic", "claude-sonnet-4-5"));
    }

    @Test
    void estimatesForOtherFamiliesAreNeverBelowTheirPublishedTokenizers() throws IOException {
        for (Measured m : calibration()) {
            int claude = TOKENS.count(m.text(), "anthropic", "claude-sonnet-4-5");
            assertAtLeast(m.max("claude_legacy"), claude, "Claude", m);
            assertEquals(claude, TOKENS.count(m.text(), "bedrock", "anthropic.claude-3-5-sonnet-20241022-v2:0"),
                    "Claude on Bedrock is a Claude model");
            int gemini = TOKENS.count(m.text(), "gemini", "gemini-2.5-flash");
            assertAtLeast(m.max("gemini", "gemma3"), gemini, "Gemini", m);
            int other = TOKENS.count(m.text(), "openai", "llama-3.1-8b-instant");
            assertAtLeast(m.max("llama2", "llama3_1", "qwen3", "deepseek_v3"), other, "open-weight", m);
            assertEquals(other, TOKENS.count(m.text(), "bedrock", "mistral.mistral-large-2402-v1:0"));
        }
    }

    /** At least the real count, and not so far above it that budgets are wasted wholesale (within 1.7 times). */
    private static void assertAtLeast(int real, int estimate, String family, Measured m) {
        assertTrue(estimate >= real, family + " estimate " + estimate + " < real " + real + " on " + m.file());
        assertTrue(estimate <= real * 1.7, family + " estimate " + estimate + " far above real " + real + " on "
                + m.file());
    }

    @ParameterizedTest
    @CsvSource({"openai,gpt-4o,true", "azure,gpt-4.1,true", "openai,llama-3.1-70b,false",
            "anthropic,claude-sonnet-4-5,false", "gemini,gemini-2.5-pro,false", "groq,gpt-4o,false"})
    void onlyOpenAiModelsServedByOpenAiOrAzureAreExact(String kind, String model, boolean exact) {
        assertEquals(exact, TOKENS.exact(Tokenizer.ofKind(kind), model));
    }

    @Test
    void familiesAreRecognisedByProviderKindAndModelName() {
        assertEquals(TokenCounter.Family.CLAUDE, TokenCounter.family(Tokenizer.ofKind("anthropic"), "anything"));
        assertEquals(TokenCounter.Family.CLAUDE, TokenCounter.family(Tokenizer.ofKind("bedrock"), "anthropic.claude-3-haiku"));
        assertEquals(TokenCounter.Family.GEMINI, TokenCounter.family(Tokenizer.ofKind("gemini"), "gemini-2.0-flash"));
        assertEquals(TokenCounter.Family.GEMINI, TokenCounter.family(Tokenizer.ofKind("openai"), "gemma-2-9b-it"));
        assertEquals(TokenCounter.Family.OTHER, TokenCounter.family(Tokenizer.ofKind("openai"), "llama-3.3-70b"));
    }
}
