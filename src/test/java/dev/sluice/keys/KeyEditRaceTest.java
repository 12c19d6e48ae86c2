package dev.sluice.keys;

import dev.sluice.store.Database;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.VirtualKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Admin edits racing revocations and rotations, on this replica and on another one (simulated by changing the
 * database behind this replica's back, as a replica whose notice has not arrived yet would see it): an edit never
 * brings back a revoked key or an old secret, and two edits of different fields both survive.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class KeyEditRaceTest {

    private static final String CHAT = "{\"model\":\"billed/m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    @Inject
    Database db;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    private static int chat(String secret) {
        return given().auth().oauth2(secret).contentType(ContentType.JSON).body(CHAT)
                .when().post("/v1/chat/completions").statusCode();
    }

    private static int patch(String id, String body) {
        return given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body(body)
                .when().patch("/admin/keys/" + id).statusCode();
    }

    /** Runs a statement on the database directly, as another replica's change would land. */
    private void elsewhere(String sql, String id) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            assertEquals(1, ps.executeUpdate());
        }
    }

    private String[] row(String id) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT secret_hash, revoked_at, name, rpm, tpm FROM sluice_keys WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)};
            }
        }
    }

    @Test
    void anEditOnAReplicaThatHasNotHeardOfARevocationDoesNotReEnableTheKey() throws Exception {
        VirtualKeys.Key key = VirtualKeys.withCredit("revoked-elsewhere", "1");
        assertEquals(200, chat(key.secret()));
        elsewhere("UPDATE sluice_keys SET revoked_at = 1700000000000, updated_at = updated_at + 1 WHERE id = ?", key.id());

        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body("{\"name\":\"renamed\",\"rpm\":50}")
                .when().patch("/admin/keys/" + key.id())
                .then().statusCode(200).body("status", equalTo("revoked")).body("name", equalTo("renamed"))
                .body("revoked_at", equalTo("2023-11-14T22:13:20Z"));
        String[] stored = row(key.id());
        assertEquals("1700000000000", stored[1], "the revocation is still in the database");
        assertEquals("renamed", stored[2]);
        // the edit's answer came from the database, so this replica now knows the key is revoked
        assertEquals(401, chat(key.secret()));
    }

    @Test
    void anEditOnAReplicaThatHasNotHeardOfARotationDoesNotRestoreTheOldSecret() throws Exception {
        VirtualKeys.Key key = VirtualKeys.withCredit("rotated-elsewhere", "1");
        String newHash = "ab".repeat(32);
        elsewhere("UPDATE sluice_keys SET secret_hash = '" + newHash + "', updated_at = updated_at + 1 WHERE id = ?",
                key.id());
        assertEquals(200, patch(key.id(), "{\"tpm\":900}"));
        assertEquals(newHash, row(key.id())[0], "the rotation's secret is kept");
        assertEquals(401, chat(key.secret()), "the old secret stays dead");
    }

    @Test
    void editsRacingARevocationNeverResurrectTheKey() throws Exception {
        for (int round = 0; round < 5; round++) {
            VirtualKeys.Key key = VirtualKeys.withCredit("race-revoke-" + round, "1");
            List<CompletableFuture<Integer>> edits = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int rpm = 10 + i;
                edits.add(CompletableFuture.supplyAsync(() -> patch(key.id(), "{\"rpm\":" + rpm + "}")));
            }
            int revoked = given().auth().oauth2(MockUpstream.MASTER_KEY).when().delete("/admin/keys/" + key.id())
                    .statusCode();
            assertEquals(200, revoked);
            for (CompletableFuture<Integer> e : edits) {
                assertEquals(200, e.get(30, TimeUnit.SECONDS));
            }
            assertNotNull(row(key.id())[1], "still revoked after every edit committed");
            given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/admin/keys/" + key.id())
                    .then().statusCode(200).body("status", equalTo("revoked"));
            assertEquals(401, chat(key.secret()));
        }
    }

    @Test
    void editsRacingARotationNeverRestoreTheOldSecret() throws Exception {
        for (int round = 0; round < 5; round++) {
            VirtualKeys.Key key = VirtualKeys.withCredit("race-rotate-" + round, "1");
            List<CompletableFuture<Integer>> edits = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int tpm = 1000 + i;
                edits.add(CompletableFuture.supplyAsync(() -> patch(key.id(), "{\"tpm\":" + tpm + "}")));
            }
            String fresh = given().auth().oauth2(MockUpstream.MASTER_KEY).when()
                    .post("/admin/keys/" + key.id() + "/rotate").then().statusCode(200).extract().path("key");
            for (CompletableFuture<Integer> e : edits) {
                assertEquals(200, e.get(30, TimeUnit.SECONDS));
            }
            assertEquals(HexSha256.of(fresh), row(key.id())[0], "the database holds the new secret's hash");
            assertEquals(401, chat(key.secret()), "the old secret stays dead");
            assertEquals(200, chat(fresh));
        }
    }

    @Test
    void concurrentEditsOfDifferentFieldsBothSurvive() throws Exception {
        VirtualKeys.Key key = VirtualKeys.withCredit("two-editors", "1");
        for (int round = 0; round < 5; round++) {
            int rpm = 100 + round;
            int tpm = 5000 + round;
            String name = "editor-" + round;
            CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> patch(key.id(), "{\"rpm\":" + rpm + "}"));
            CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> patch(key.id(), "{\"tpm\":" + tpm + "}"));
            CompletableFuture<Integer> c = CompletableFuture.supplyAsync(() -> patch(key.id(),
                    "{\"name\":\"" + name + "\"}"));
            assertEquals(200, a.get(30, TimeUnit.SECONDS));
            assertEquals(200, b.get(30, TimeUnit.SECONDS));
            assertEquals(200, c.get(30, TimeUnit.SECONDS));
            String[] stored = row(key.id());
            assertEquals(name, stored[2]);
            assertEquals(Integer.toString(rpm), stored[3]);
            assertEquals(Integer.toString(tpm), stored[4]);
        }
    }

    @Test
    void aRevokedKeyCannotBeRotatedAndUnknownKeysAre404() {
        VirtualKeys.Key key = VirtualKeys.withCredit("no-rotate", "1");
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().delete("/admin/keys/" + key.id()).then().statusCode(200);
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().post("/admin/keys/" + key.id() + "/rotate")
                .then().statusCode(409).body("error.code", equalTo("key_revoked"));
        assertEquals(401, chat(key.secret()));
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().post("/admin/keys/knope1234567/rotate")
                .then().statusCode(404).body("error.code", equalTo("key_not_found"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().delete("/admin/keys/knope1234567")
                .then().statusCode(404);
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body("{\"name\":\"x\"}")
                .when().patch("/admin/keys/knope1234567").then().statusCode(404);
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body("{\"amount_usd\":1}")
                .when().post("/admin/keys/knope1234567/credits").then().statusCode(404);
    }

    /** The stored form of a key: hex SHA-256. */
    static final class HexSha256 {
        static String of(String secret) {
            return java.util.HexFormat.of().formatHex(KeySecrets.sha256(secret));
        }
    }
}
