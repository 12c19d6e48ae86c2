package dev.sluice.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Renders every kustomize overlay in deploy/k8s with {@code kubectl kustomize} (no cluster needed) and validates
 * each object against the Kubernetes API's typed model: an unknown field anywhere or a value of the wrong type
 * fails, as the API server would refuse it. Then checks the properties the deployment promises.
 */
class KubernetesManifestsTest {

    private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final Map<String, Class<?>> KINDS = Map.of(
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

    static String render(String dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kubectl", "kustomize", Path.of("deploy/k8s", dir).toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize timed out");
        assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + " failed:\n" + out);
        return out;
    }

    /** Parses and validates every object of a rendered YAML stream. */
    static List<Object> validate(String yaml) throws IOException {
        List<Object> objects = new ArrayList<>();
        for (JsonNode doc : YAML.readerFor(JsonNode.class).readValues(yaml).readAll().stream()
                .map(JsonNode.class::cast).toList()) {
            if (doc == null || doc.isNull() || doc.isEmpty()) {
                continue;
            }
            String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
            Class<?> type = KINDS.get(key);
            if (type == null) {
                throw new AssertionError("no schema known for " + key);
            }
            Object object = YAML.treeToValue(doc, type);
            List<String> unknown = new ArrayList<>();
            unknownFields(object, doc.path("kind").asText(), unknown, new IdentityHashMap<>());
            if (!unknown.isEmpty()) {
                throw new AssertionError("unknown fields in " + key + " " + doc.path("metadata").path("name").asText()
                        + ": " + unknown);
            }
            objects.add(object);
        }
        return objects;
    }

    /** The Kubernetes model keeps unknown fields in additionalProperties maps: any non-empty one is an error. */
    private static void unknownFields(Object o, String path, List<String> out, Map<Object, Boolean> seen) {
        if (o == null || seen.containsKey(o) || o instanceof String || o instanceof Number || o instanceof Boolean
                || o.getClass().isEnum()) {
            return;
        }
        seen.put(o, true);
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, out, seen));
            return;
        }
        if (o instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                unknownFields(item, path + "[" + i++ + "]", out, seen);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object value = m.invoke(o);
                if (m.getName().equals("getAdditionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        out.add(path + " " + extra.keySet());
                    }
                } else {
                    unknownFields(value, path + "." + m.getName().substring(3), out, seen);
                }
            } catch (ReflectiveOperationException ignored) {
                // not a property
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/ha", "overlays/sidecar"})
    void everyOverlayRendersAndValidatesAgainstTheKubernetesSchema(String dir) throws Exception {
        List<Object> objects = validate(render(dir));
        assertFalse(objects.isEmpty());
        for (Object o : objects) {
            if (o instanceof Deployment d) {
                var pod = d.getSpec().getTemplate().getSpec();
                assertEquals(false, pod.getAutomountServiceAccountToken());
                assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
                assertTrue(pod.getSecurityContext().getRunAsNonRoot());
                assertTrue(pod.getTerminationGracePeriodSeconds() >= 35, "covers the shutdown delay and drain");
                Container sluice = pod.getContainers().stream().filter(c -> c.getName().equals("sluice")).findFirst()
                        .orElseThrow();
                assertTrue(sluice.getImage().startsWith("ghcr.io/sluice-gateway/sluice:"), sluice.getImage());
                assertTrue(sluice.getSecurityContext().getReadOnlyRootFilesystem());
                assertFalse(sluice.getSecurityContext().getAllowPrivilegeEscalation());
                assertEquals(List.of("ALL"), sluice.getSecurityContext().getCapabilities().getDrop());
                assertEquals("50m", sluice.getResources().getRequests().get("cpu").toString());
                assertEquals("64Mi", sluice.getResources().getRequests().get("memory").toString());
                assertTrue(sluice.getResources().getLimits().containsKey("memory"));
                assertEquals("/q/health/started", sluice.getStartupProbe().getHttpGet().getPath());
                assertEquals("/q/health/live", sluice.getLivenessProbe().getHttpGet().getPath());
                assertTrue(sluice.getVolumeMounts().stream().anyMatch(v -> v.getMountPath().equals("/data")));
            }
        }
    }

    @Test
    void theBaseHasEveryObjectThePodNeeds() throws Exception {
        List<Object> objects = validate(render("base"));
        for (Class<?> type : List.of(Deployment.class, Service.class, ConfigMap.class, Secret.class,
                HorizontalPodAutoscaler.class, PodDisruptionBudget.class, NetworkPolicy.class, ServiceAccount.class)) {
            assertTrue(objects.stream().anyMatch(type::isInstance), "base lacks a " + type.getSimpleName());
        }
        Deployment d = (Deployment) objects.stream().filter(Deployment.class::isInstance).findFirst().orElseThrow();
        assertEquals(2, d.getSpec().getReplicas());
        assertEquals("/q/health/ready", d.getSpec().getTemplate().getSpec().getContainers().get(0).getReadinessProbe()
                .getHttpGet().getPath());
        NetworkPolicy np = (NetworkPolicy) objects.stream().filter(NetworkPolicy.class::isInstance).findFirst().orElseThrow();
        List<Integer> egressPorts = np.getSpec().getEgress().stream().flatMap(e -> e.getPorts().stream())
                .map(p -> p.getPort().getIntVal()).distinct().sorted().toList();
        assertEquals(List.of(53, 443), egressPorts);
        assertEquals("true", np.getSpec().getIngress().get(0).getFrom().get(0).getNamespaceSelector().getMatchLabels()
                .get("sluice.dev/client"));
    }

    @Test
    void theHaOverlayRunsSeveralReplicasOnTheSharedStore() throws Exception {
        List<Object> objects = validate(render("overlays/ha"));
        Deployment d = (Deployment) objects.stream().filter(Deployment.class::isInstance).findFirst().orElseThrow();
        assertTrue(d.getSpec().getReplicas() >= 3);
        assertTrue(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom().stream()
                .anyMatch(e -> e.getSecretRef() != null && e.getSecretRef().getName().equals("sluice-store")));
        Secret store = (Secret) objects.stream().filter(o -> o instanceof Secret s
                && s.getMetadata().getName().equals("sluice-store")).findFirst().orElseThrow();
        assertTrue(store.getStringData().containsKey("SLUICE_DATABASE_URL"));
        assertTrue(store.getStringData().containsKey("SLUICE_REDIS_URL"));
    }

    @Test
    void theSidecarOverlayPutsSluiceOnTheAppsLocalhost() throws Exception {
        List<Object> objects = validate(render("overlays/sidecar"));
        Deployment d = (Deployment) objects.stream().filter(Deployment.class::isInstance).findFirst().orElseThrow();
        List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
        assertEquals(2, containers.size());
        Container app = containers.stream().filter(c -> c.getName().equals("app")).findFirst().orElseThrow();
        assertTrue(app.getEnv().stream().anyMatch(e -> e.getName().equals("OPENAI_BASE_URL")
                && e.getValue().equals("http://localhost:8080/v1")));
        Container sluice = containers.stream().filter(c -> c.getName().equals("sluice")).findFirst().orElseThrow();
        assertTrue(sluice.getEnv().stream().anyMatch(e -> e.getName().equals("QUARKUS_HTTP_HOST")
                && e.getValue().equals("127.0.0.1")));
    }

    @Test
    void theValidatorRejectsUnknownFieldsAndWrongTypes() {
        String unknownField = "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  portz:\n    - port: 80\n";
        assertThrows(AssertionError.class, () -> validate(unknownField));
        String wrongType = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: two\n";
        assertThrows(Exception.class, () -> validate(wrongType));
        String nestedUnknown = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  template:\n"
                + "    spec:\n      containers:\n        - name: a\n          image: b\n          imagePullPolicyy: Always\n";
        assertThrows(AssertionError.class, () -> validate(nestedUnknown));
    }
}
