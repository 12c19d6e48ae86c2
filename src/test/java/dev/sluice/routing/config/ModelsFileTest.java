package dev.sluice.routing.config;

import dev.sluice.money.Price;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.routing.config.Strategy;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sluice's own routing file: what it declares, and how precisely it says what is wrong. */
class ModelsFileTest {

    static final Map<String, String> ENV = Map.of("OPENAI_KEY_B", "sk-b-123", "AZURE_KEY", "az-456");

    static RoutingSpec parse(String yaml) {
        RoutingFiles.Contents contents = new RoutingFiles.Contents(List.of(Path.of("models.yaml")),
                List.of(yaml.getBytes(StandardCharsets.UTF_8)), "x");
        return RoutingFiles.parse(contents, null, name -> Optional.ofNullable(ENV.get(name)), n -> Optional.empty());
    }

    /** The example of docs/routing.md, read from the page itself so that the documentation stays true. */
    static String readmeExample() throws Exception {
        String readme = java.nio.file.Files.readString(Path.of("docs/routing.md"));
        int start = readme.indexOf("```yaml\n# models.yaml");
        int end = readme.indexOf("```", start + 7);
        assertTrue(start >= 0 && end > start, "docs/routing.md shows a models.yaml");
        return readme.substring(start + "```yaml\n".length(), end);
    }

    @Test
    void theReadmeExampleDeclaresGroupsDeploymentsAndSettings() throws Exception {
        RoutingSpec spec = parse(readmeExample());

        GroupSpec g = spec.groups().get("gpt-4o");
        assertEquals(Strategy.LOWEST_LATENCY, g.settings().strategy());
        assertEquals(2, g.settings().retries(), "the file's settings apply to its groups");
        assertEquals(Duration.ofMillis(200), g.settings().backoffInitial());
        assertEquals(Duration.ofSeconds(30), g.settings().timeouts().firstByte());
        assertEquals(List.of("gpt-4o-mini"), g.fallbacks());
        assertEquals(List.of("gpt-4.1"), g.contextWindowFallbacks());
        assertEquals(3, g.deployments().size());
        DeploymentSpec a = g.deployments().get(0);
        assertEquals(2.0, a.weight());
        assertEquals(500, a.rpm());
        assertEquals(150000, a.tpm());
        assertTrue(a.apiKey().isEmpty(), "inherits the provider's key");
        DeploymentSpec b = g.deployments().get(1);
        assertEquals(Optional.of("sk-b-123"), b.apiKey());
        assertEquals(Duration.ofSeconds(10), b.timeouts().firstByte());
        DeploymentSpec azure = g.deployments().get(2);
        assertEquals("azure", azure.provider());
        assertEquals(Map.of("api-version", "2024-10-21"), azure.options());
        assertEquals(1, azure.priority());
        assertEquals(Price.perMillionUsd(2.5, 10, ModelsFile.ROUTING_FILE), azure.price().orElseThrow());
        assertEquals("gpt-4o-mini-1", spec.groups().get("gpt-4o-mini").deployments().get(0).id(),
                "a deployment without an id is named after its group");
        assertEquals(Map.of("mini", "gpt-4o-mini"), spec.aliases());
    }

    @Test
    void referencesExpandWithDefaultsAndEscapes() {
        RoutingSpec spec = parse("""
                groups:
                  g:
                    deployments:
                      - provider: openai
                        model: ${MODEL_NAME:gpt-4o}
                        headers: {X-Literal: "$${NOT_A_REFERENCE}"}
                        api-key: ${UNSET_VARIABLE_FOR_TEST}
                """);
        DeploymentSpec d = spec.groups().get("g").deployments().get(0);
        assertEquals("gpt-4o", d.model());
        assertEquals("${NOT_A_REFERENCE}", d.headers().get("X-Literal"));
        assertTrue(d.unusable().orElseThrow().contains("${UNSET_VARIABLE_FOR_TEST}"),
                "a reference without a value leaves the deployment unusable, with the reason");
    }

    @Test
    void everyMistakeIsReportedWithItsPlace() {
        RoutingFileException e = assertThrows(RoutingFileException.class, () -> parse("""
                settings:
                  strategy: fastest
                  request-timeout: soon
                groups:
                  g:
                    retires: 2
                    deployments:
                      - provider: openai
                        weight: -1
                        timeouts: {first_byte: 3s}
                      - model: gpt-4o
                        rpm: 1.5
                  empty: {}
                unknown-top: 1
                """));
        String all = String.join("\n", e.problems());
        for (String expected : List.of(
                "settings.strategy: unknown strategy 'fastest' (known: weighted-random, least-in-flight, lowest-latency, lowest-cost)",
                "settings.request-timeout: expected a duration such as 500ms, 10s or 2m, got 'soon'",
                "groups.g.retires: unknown setting",
                "groups.g.deployments[0].model: is required",
                "groups.g.deployments[0].weight: must be between 0.0 and 1000000.0, got -1.0",
                "groups.g.deployments[0].timeouts.first_byte: unknown setting",
                "groups.g.deployments[1].provider: is required",
                "groups.g.deployments[1].rpm: expected a whole number, got '1.5'",
                "groups.empty.deployments: is required",
                "unknown-top: unknown setting")) {
            assertTrue(all.contains(expected), "missing: " + expected + "\nin:\n" + all);
        }
        assertTrue(e.problems().stream().allMatch(p -> p.startsWith("models.yaml: ")), "each names the file");
    }

    @Test
    void duplicateKeysAndIdsAreErrors() {
        RoutingFileException keys = assertThrows(RoutingFileException.class, () -> parse("""
                groups:
                  g:
                    deployments: [{provider: openai, model: a}]
                  g:
                    deployments: [{provider: openai, model: b}]
                """));
        assertTrue(keys.getMessage().contains("Duplicate field 'g'"), keys.getMessage());

        RoutingFileException ids = assertThrows(RoutingFileException.class, () -> parse("""
                groups:
                  a:
                    deployments: [{id: same, provider: openai, model: a}]
                  b:
                    deployments: [{id: same, provider: openai, model: b}]
                """));
        assertTrue(ids.getMessage().contains("the deployment id 'same' is used more than once"), ids.getMessage());
    }

    @Test
    void notYamlIsReportedWithItsLine() {
        RoutingFileException e = assertThrows(RoutingFileException.class, () -> parse("groups:\n  g: [unclosed\n"));
        assertTrue(e.getMessage().contains("not valid YAML (line"), e.getMessage());
    }

    @Test
    void aFileThatIsNeitherFormatIsRefused() {
        RoutingFileException e = assertThrows(RoutingFileException.class, () -> parse("models:\n  - gpt-4o\n"));
        assertTrue(e.getMessage().contains("neither a Sluice routing file"), e.getMessage());
    }

    @Test
    void yamlParsingNeedsNoReflection() throws Exception {
        // the files are read as trees and walked by hand: nothing to register for the native image
        assertTrue(new ObjectMapper(new YAMLFactory()).readTree("a: 1").isObject());
    }
}
