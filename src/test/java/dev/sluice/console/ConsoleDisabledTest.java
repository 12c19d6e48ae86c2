package dev.sluice.console;

import static io.restassured.RestAssured.given;

import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code sluice.console.enabled=false}: every console path is gone, and the gateway's APIs work as before. */
@QuarkusTest
@WithTestResource(MockUpstream.class)
@TestProfile(ConsoleDisabledTest.Disabled.class)
class ConsoleDisabledTest {

    public static class Disabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sluice.console.enabled", "false");
        }
    }

    @Test
    void everyConsolePathAnswers404() {
        for (String path : new String[] {"/console", "/console/", "/console/login", "/console/overview",
                "/console/assets/console.js", "/console/api/overview"}) {
            given().redirects().follow(false).when().get(path).then().statusCode(404);
        }
        given().redirects().follow(false).formParam("key", MockUpstream.MASTER_KEY).formParam("csrf", "x")
                .when().post("/console/login").then().statusCode(404);
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/admin/keys").then().statusCode(200);
        given().cookie(ConsoleSessions.COOKIE, "anything").header(ConsoleSessions.CSRF_HEADER, "anything")
                .when().get("/admin/keys").then().statusCode(401);
    }
}
