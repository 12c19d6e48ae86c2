package dev.sluice.logs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretMaskTest {

    private static final String UPSTREAM = "plain-upstream-credential-without-a-known-shape";
    private final SecretMask mask = new SecretMask(List.of(UPSTREAM, "abc", ""), 1000);

    @Test
    void configuredCredentialsAreMaskedWhateverTheirShape() {
        String out = mask.apply("{\"content\":\"my key is " + UPSTREAM + " ok\"}");
        assertFalse(out.contains(UPSTREAM), out);
        assertTrue(out.contains(SecretMask.MASK));
        // values too short to be credentials would mask ordinary words
        assertEquals("abc def", mask.apply("abc def"));
    }

    @Test
    void keyShapedStringsAreMasked() {
        List<String> secrets = List.of(
                "sk-sluice-k0123456789ab-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd",
                "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz",
                "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz",
                "sk-AbCdEfGhIjKlMnOpQrStUvWxYz0123",
                "AKIAIOSFODNN7EXAMPLE",
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U");
        for (String s : secrets) {
            String out = mask.apply("{\"messages\":[{\"role\":\"user\",\"content\":\"use " + s + " please\"}]}");
            assertFalse(out.contains(s), out);
            assertTrue(out.contains("use " + SecretMask.MASK + " please"), out);
        }
    }

    @Test
    void authorizationLikeValuesAreMaskedInJsonAndInText() {
        String json = mask.apply("{\"Authorization\":\"Basic dXNlcjpwYXNzd29yZA==\",\"api_key\":\"x1\","
                + "\"password\":\"hunter2\",\"max_tokens\":5,\"token\":\"t0k3n\"}");
        assertEquals("{\"Authorization\":\"[redacted]\",\"api_key\":\"[redacted]\",\"password\":\"[redacted]\","
                + "\"max_tokens\":5,\"token\":\"[redacted]\"}", json);
        String text = mask.apply("curl -H 'Authorization: Bearer opaque.token-value_123' -H 'x-api-key: zzz999'");
        assertFalse(text.contains("opaque.token-value_123"), text);
        assertFalse(text.contains("zzz999"), text);
    }

    @Test
    void bodiesAreCappedOnACharacterBoundaryAndMarked() {
        SecretMask small = new SecretMask(List.of(), 10);
        String out = small.apply("ééééééééé"); // 18 bytes
        assertEquals("ééééé" + SecretMask.TRUNCATED, out);
        assertTrue(out.replace(SecretMask.TRUNCATED, "").getBytes(StandardCharsets.UTF_8).length <= 10);
        assertEquals("short", small.apply("short"));
        assertNull(small.apply(null));
    }

    @Test
    void aSecretStraddlingTheCapIsMaskedBeforeTheCut() {
        String key = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz";
        SecretMask small = new SecretMask(List.of(), 20);
        String out = small.apply("0123456789" + key);
        assertFalse(out.contains("sk-ant-api03"), out);
        assertFalse(out.contains("AbCdEf"), out);
    }

    @Test
    void aVeryLongSecretValueIsMaskedWithoutExhaustingTheStack() {
        String value = "v\\\"".repeat(50_000) + "end";
        String out = new SecretMask(List.of(), 1 << 20).apply("{\"password\":\"" + value + "\",\"n\":1}");
        assertEquals("{\"password\":\"[redacted]\",\"n\":1}", out);
    }
}
