package dev.sluice.billing;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The calibrated estimate used for models without a local tokenizer errs on the side of reserving too much: it
 * is at least the real count of a current BPE tokenizer (o200k) on English, code, German, Japanese and JSON, and
 * not absurdly above it.
 */
class TokenEstimatorTest {

    static final Encoding O200K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    static final String[] SAMPLES = {
            "The quick brown fox jumps over the lazy dog. Sluice is a self-hosted gateway for language models, "
                    + "and it keeps one balance and one ledger for every provider.",
            "public static long ceilDiv(long a, long b) { return -Math.floorDiv(-a, b); } // rounds towards +inf",
            "Die Schleuse regelt den Wasserstand zwischen zwei Abschnitten eines Kanals; Schiffe warten davor.",
            "水門は運河の二つの区間の水位を調整します。船はその前で待ちます。",
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],\"max_tokens\":100}",
    };

    @Test
    void theCalibratedEstimateIsAtLeastTheRealCount() {
        for (String s : SAMPLES) {
            long real = O200K.countTokensOrdinary(s);
            long estimate = TokenEstimator.calibrated(s);
            assertTrue(estimate >= real, "estimate " + estimate + " < real " + real + " for: " + s);
            assertTrue(estimate <= real * 3, "estimate " + estimate + " far above real " + real + " for: " + s);
        }
    }

    @Test
    void utf8LengthMatchesTheEncoder() {
        for (String s : SAMPLES) {
            assertTrue(TokenEstimator.utf8Length(s) == TokenEstimator.bytes(s), s);
        }
        assertTrue(TokenEstimator.utf8Length("😀") == 4);
    }

    @Test
    void openAiModelsAreRecognised() {
        assertTrue(TokenEstimator.openAiModel("gpt-4o-mini"));
        assertTrue(TokenEstimator.openAiModel("openai/gpt-5"));
        assertTrue(TokenEstimator.openAiModel("o3-mini"));
        assertTrue(!TokenEstimator.openAiModel("claude-sonnet-4-5"));
        assertTrue(!TokenEstimator.openAiModel("llama-3.1-8b-instant"));
    }
}
