package dev.sluice.provider.bedrock;

import dev.sluice.testing.Http;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.SluiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Bedrock deployment inside a model group, on an installation whose only AWS credentials are the standard
 * environment variables (as on a pod with an AWS identity): the deployment is built the way the configured
 * Bedrock provider is — its credentials found in the environment, its requests signed with them — instead of
 * being set aside as "without an API key".
 */
class BedrockGroupCredentialsIT {

    static MockUpstream mock = new MockUpstream();
    static SluiceProcess gateway;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Map<String, String> mockSettings = mock.start();
        Path models = dir.resolve("models.yaml");
        Files.writeString(models, """
                groups:
                  claude-group:
                    deployments:
                      - id: bedrock-claude
                        provider: bedrock
                        model: anthropic.claude-3-haiku-20240307-v1:0
                """);
        gateway = SluiceProcess.start("bedrock-group-credentials", Map.of(
                "sluice.master-key", MockUpstream.MASTER_KEY,
                "sluice.data-dir", mockSettings.get("sluice.data-dir"),
                "sluice.routing.config-file", models.toString(),
                "sluice.routing.watch-interval", "0",
                "sluice.providers.bedrock.base-url", MockUpstream.url("/bedrock")),
                Map.of("AWS_ACCESS_KEY_ID", MockUpstream.AWS_ACCESS_KEY_ID,
                        "AWS_SECRET_ACCESS_KEY", MockUpstream.AWS_SECRET_ACCESS_KEY,
                        "AWS_SESSION_TOKEN", MockUpstream.AWS_SESSION_TOKEN,
                        "AWS_REGION", "us-east-1"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        mock.stop();
    }

    @Test
    void aGroupDeploymentSignsWithTheEnvironmentsAwsCredentials() throws Exception {
        MockUpstream.reset();
        HttpResponse<String> r = Http.post(gateway.url("/v1/chat/completions"), MockUpstream.MASTER_KEY,
                "{\"model\":\"claude-group\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertEquals(200, r.statusCode(), r.body());
        assertEquals("bedrock-claude", r.headers().firstValue("x-sluice-deployment").orElse(null));
        assertTrue(r.body().contains("Hello there"), r.body());
        MockUpstream.Received sent = MockUpstream.last(
                "/bedrock/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
        BedrockAdapterTest.assertSigned(sent, "bedrock");

        String routes = Http.get(gateway.url("/admin/routes"), MockUpstream.MASTER_KEY).body();
        assertFalse(routes.contains("is not used"), routes);
    }
}
