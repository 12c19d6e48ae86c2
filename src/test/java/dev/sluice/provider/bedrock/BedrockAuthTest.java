package dev.sluice.provider.bedrock;

import dev.sluice.provider.ProviderSettings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void credentialsComeFromTheStandardAwsVariables() {
        ProviderSettings settings = settings(Map.of("region", "eu-west-1"));
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "AKIAENVEXAMPLE7",
                "AWS_SECRET_ACCESS_KEY", "envSecretKey/K7MDENG+bPxRfiCYEXAMPLE", "AWS_SESSION_TOKEN", "ENVSESSIONTOKEN9");
        BedrockAuth auth = BedrockProviderFactory.auth(settings, BedrockOptions.from(settings), env::get, AT);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String url = "https://bedrock-runtime.eu-west-1.amazonaws.com/model/amazon.nova-lite-v1%3A0/converse";
        Map<String, String> headers = new HashMap<>(Map.of("content-type", "application/json"));
        auth.authorize("POST", url, headers, body).await().indefinitely();

        SigV4Verifier.Authorization signed = SigV4Verifier.Authorization.parse(headers.get("authorization"));
        assertEquals("AKIAENVEXAMPLE7", signed.accessKeyId());
        assertEquals("eu-west-1", signed.region());
        assertEquals("ENVSESSIONTOKEN9", headers.get("x-amz-security-token"));
        Map<String, String> received = new HashMap<>(headers);
        received.put("host", "bedrock-runtime.eu-west-1.amazonaws.com");
        assertEquals(SigV4Verifier.signature("envSecretKey/K7MDENG+bPxRfiCYEXAMPLE", "POST",
                "/model/amazon.nova-lite-v1%3A0/converse", null, received::get, signed.signedHeaders(), body,
                "eu-west-1", "bedrock"), signed.signature(), "signed with the secret from the environment");

        // keys in the provider's options win over the environment
        ProviderSettings configured = settings(Map.of("region", "eu-west-1", "access-key-id", KEY_ID,
                "secret-access-key", SECRET));
        Map<String, String> optionHeaders = new HashMap<>(Map.of("content-type", "application/json"));
        BedrockProviderFactory.auth(configured, BedrockOptions.from(configured), env::get, AT)
                .authorize("POST", url, optionHeaders, body).await().indefinitely();
        assertEquals(KEY_ID, SigV4Verifier.Authorization.parse(optionHeaders.get("authorization")).accessKeyId());
        assertFalse(optionHeaders.containsKey("x-amz-security-token"), "the environment's token is not mixed in");

        // static credentials that the environment only half provides are a start-up error, not a request failure
        ProviderSettings strict = settings(Map.of("region", "eu-west-1", "credentials", "static"));
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> BedrockProviderFactory.auth(
                strict, BedrockOptions.from(strict), Map.of("AWS_ACCESS_KEY_ID", "AKIAENVEXAMPLE7")::get, AT));
        assertEquals("sluice.providers.bedrock.options.credentials=static needs access-key-id and secret-access-key "
                + "(or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)", missing.getMessage());
    }

    private static ProviderSettings settings(Map<String, String> options) {
        return new ProviderSettings("bedrock", "bedrock", "https://bedrock-runtime.eu-west-1.amazonaws.com",
                Optional.empty(), Map.of(), List.of(), Duration.ofSeconds(30), options);
    }

    @Test
    void aBedrockApiKeyIsABearerToken() {
        Map<String, String> headers = new HashMap<>();
        BedrockAuth.bearer("ABSKQmVkcm9ja0FQSUtleS1example").authorize("POST", "https://x", headers, new byte[0])
                .await().indefinitely();
        assertEquals(Map.of("authorization", "Bearer ABSKQmVkcm9ja0FQSUtleS1example"), headers);
    }
}
