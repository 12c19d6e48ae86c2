package dev.sluice.tokens;

import dev.sluice.provider.Tokenizer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Prompt estimates reserve at least what the provider will count: text goes through {@link TokenCounter} (checked
 * against published tokenizers in {@code TokenCounterTest}), and the bound used for very long texts is above every
 * tokenizer of the calibration set.
 */
class TokenEstimatorTest {

    private static final TokenEstimator ESTIMATOR = new TokenEstimator(new TokenCounter(), 1500);

    @Test
    void theLongTextBoundIsAboveEveryPublishedTokenizer() throws IOException {
        List<String> lines = read("calibration.tsv").lines().filter(l -> !l.isBlank()).toList();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split("\t");
            String text = read("calibration/" + cells[0]);
            int highest = Arrays.stream(cells, 1, cells.length).mapToInt(Integer::parseInt).max().orElseThrow();
            long bound = TokenEstimator.bound(text);
            assertTrue(bound >= highest, "bound " + bound + " < " + highest + " tokens on " + cells[0]);
        }
    }

    @Test
    void textIsCountedForTheServedModel() {
        String text = "tiktoken is great!";
        assertEquals(6, ESTIMATOR.text(text, new TokenEstimator.Model(Tokenizer.OPENAI, "gpt-4o")), "exact for OpenAI");
        long claude = ESTIMATOR.text(text, new TokenEstimator.Model(Tokenizer.CLAUDE, "claude-sonnet-4-5"));
        assertEquals(new TokenCounter().count(text, "anthropic", "claude-sonnet-4-5"), claude, "Claude's estimate");
        assertEquals(0, ESTIMATOR.text("", TokenEstimator.Model.UNKNOWN));
    }

    @Test
    void aTextBeyondTheExactLimitIsBoundedWithoutTokenizing() {
        String huge = "水".repeat(TokenEstimator.EXACT_LIMIT + 1);
        assertEquals(TokenEstimator.bound(huge), ESTIMATOR.text(huge, new TokenEstimator.Model(Tokenizer.OPENAI, "gpt-4o")));
        assertEquals((3L * huge.length() + 1) / 2, TokenEstimator.bound(huge));
    }

    @Test
    void utf8LengthMatchesTheEncoder() {
        for (String s : List.of("plain ascii", "Schleuse ß", "水門は運河", "😀 emoji", "mixed é 水 😀")) {
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length, TokenEstimator.utf8Length(s), s);
        }
    }

    private static String read(String name) throws IOException {
        try (InputStream in = TokenEstimatorTest.class.getResourceAsStream("/tokens/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource tokens/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
