package dev.sluice.auth;

import dev.sluice.api.Secrets;
import dev.sluice.config.SluiceConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The master key: from {@code sluice.master-key} (env {@code SLUICE_MASTER_KEY}) when set; otherwise read from
 * {@code <data-dir>/master.key}, or generated there at first start and printed once on the console. The gateway
 * therefore never runs open by accident.
 */
@Startup
@ApplicationScoped
public class MasterKey implements KeyAuthenticator {

    static final String FILE_NAME = "master.key";
    private static final String PREFIX = "sk-sluice-master-";

    private final byte[] digest;
    private final Caller caller = new Caller("master", Caller.Role.MASTER, null);

    @Inject
    public MasterKey(SluiceConfig config) {
        String key = config.masterKey().map(String::strip).filter(s -> !s.isEmpty())
                .orElseGet(() -> loadOrGenerate(Path.of(config.dataDir())));
        Secrets.register(key);
        this.digest = sha256(key);
    }

    @Override
    public Uni<Caller> authenticate(String presentedKey) {
        boolean match = MessageDigest.isEqual(digest, sha256(presentedKey));
        return Uni.createFrom().item(match ? caller : null);
    }

    @Override
    public int order() {
        return 0;
    }

    static String loadOrGenerate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!stored.isEmpty()) {
                    Log.infof("Master key read from %s", file);
                    return stored;
                }
            }
            Files.createDirectories(dataDir);
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
            Files.writeString(tmp, key + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            // Printed once, on the console only, so that the operator can use the gateway at once.
            System.out.println("\n  Sluice generated a master key (stored in " + file + "):\n\n    " + key
                    + "\n\n  Send it as 'Authorization: Bearer <key>'. Set SLUICE_MASTER_KEY to choose your own.\n");
            Log.infof("Master key generated and stored in %s", file);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the master key in " + dataDir
                    + " (set SLUICE_DATA_DIR to a writable directory, or SLUICE_MASTER_KEY)", e);
        }
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
