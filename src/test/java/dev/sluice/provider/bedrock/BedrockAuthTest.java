package dev.sluice.provider.bedrock;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * SigV4 as Sluice applies it with AWS's signer, for fixed credentials (AWS's documented example keys) and a fixed
 * time: the Authorization header has SigV4's structure, signs exactly the headers that must not change in transit,
 * and carries a signature that an independent implementation of the algorithm reproduces.
 */
class BedrockAuthTest {

    static final String KEY_ID = "AKIDEXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final Clock AT = Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC);

    private static Map<String, String> sign(Optional<String> token, String url, byte[] body) {
        Map<String, String> headers = new HashMap<>();
        headers.put("content-type", "application/json");
        BedrockAuth.sigV4(BedrockAuth.fixed(KEY_ID, SECRET, token), "us-east-1", AT)
                .authorize("POST", url, headers, body).await().indefinitely();
        return headers;
    }

    @Test
    void aConverseRequestIsSignedForBedrockInItsRegion() {
        byte[] body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hello\"}]}]}"
                .getBytes(StandardCharsets.UTF_8);
        String url = "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse";
        Map<String, String> headers = sign(Optional.empty(), url, body);

        assertEquals("20150830T123600Z", headers.get("x-amz-date"));
        SigV4Verifier.Authorization auth = SigV4Verifier.Authorization.parse(headers.get("authorization"));
        assertEquals(KEY_ID, auth.accessKeyId());
        assertEquals("20150830", auth.date());
        assertEquals("us-east-1", auth.region());
        assertEquals("bedrock", auth.service());
        assertEquals(List.of("content-type", "host", "x-amz-content-sha256", "x-amz-date"), auth.signedHeaders());
        assertEquals(java.util.HexFormat.of().formatHex(sha256(body)), headers.get("x-amz-content-sha256"));
        Map<String, String> received = new HashMap<>(headers);
        received.put("host", "bedrock-runtime.us-east-1.amazonaws.com");
        assertEquals(SigV4Verifier.signature(SECRET, "POST",
                "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse", null, received::get, auth.signedHeaders(),
                body, "us-east-1", "bedrock"), auth.signature());

        // any change to the body changes the signature
        Map<String, String> other = sign(Optional.empty(), url, "{}".getBytes(StandardCharsets.UTF_8));
        assertNotEquals(auth.signature(), SigV4Verifier.Authorization.parse(other.get("authorization")).signature());
    }

    @Test
    void sessionCredentialsSendAndSignTheirToken() {
        Map<String, String> headers = sign(Optional.of("SESSIONTOKEN123"),
                "https://bedrock.us-east-1.amazonaws.com/foundation-models?byOutputModality=TEXT&byInferenceType=ON_DEMAND",
                null);
        assertEquals("SESSIONTOKEN123", headers.get("x-amz-security-token"));
        SigV4Verifier.Authorization auth = SigV4Verifier.Authorization.parse(headers.get("authorization"));
        assertEquals(List.of("content-type", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token"),
                auth.signedHeaders());
        Map<String, String> received = new HashMap<>(headers);
        received.put("host", "bedrock.us-east-1.amazonaws.com");
        assertEquals(SigV4Verifier.signature(SECRET, "POST", "/foundation-models",
                "byOutputModality=TEXT&byInferenceType=ON_DEMAND", received::get, auth.signedHeaders(), null,
                "us-east-1", "bedrock"), auth.signature());
    }

    static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aBedrockApiKeyIsABearerToken() {
        Map<String, String> headers = new HashMap<>();
        BedrockAuth.bearer("ABSKQmVkcm9ja0FQSUtleS1example").authorize("POST", "https://x", headers, new byte[0])
                .await().indefinitely();
        assertEquals(Map.of("authorization", "Bearer ABSKQmVkcm9ja0FQSUtleS1example"), headers);
    }
}
