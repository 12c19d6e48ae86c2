package dev.sluice.auth;

import dev.sluice.secrets.Secrets;
import dev.sluice.config.SluiceConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.Console;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * The master key: from {@code sluice.master-key} (env {@code SLUICE_MASTER_KEY}) when set; otherwise read from
 * {@code <data-dir>/master.key}, or generated there at first start. The gateway therefore never runs open by
 * accident, and never on a guessable key: a key shorter than {@value #MIN_LENGTH} characters, or one of the
 * placeholders that example files and tutorials ship, stops the start with a message saying how to make one.
 *
 * <p>A generated key is written to a file created with mode 600 (never readable by others, not even for an
 * instant) and printed on the console only when the console is a terminal; otherwise (a container's log, a
 * service manager's journal, a CI log) only the file's location is printed.
 */
@Startup
@ApplicationScoped
@RegisterForReflection(targets = Console.class, methods = true)
public class MasterKey implements KeyAuthenticator {

    static final String FILE_NAME = "master.key";
    static final int MIN_LENGTH = 32;
    private static final String PREFIX = "sk-sluice-master-";
    /** Values shipped in examples (ours and other gateways'), compared without case, spaces or dashes. */
    private static final Set<String> PLACEHOLDERS = Set.of("changemetoalongrandomstring", "changeme", "changemenow",
            "yourmasterkey", "yourmasterkeyhere", "mastermasterkey", "sk1234", "secret", "password", "example",
            "replaceme", "replacemewithalongrandomstring", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");

    private final byte[] digest;
    private final Caller caller = new Caller("master", Caller.Role.MASTER, null);

    @Inject
    public MasterKey(SluiceConfig config) {
        String key = config.masterKey().map(String::strip).filter(s -> !s.isEmpty())
                .map(k -> checked(k, "SLUICE_MASTER_KEY (sluice.master-key)"))
                .orElseGet(() -> loadOrGenerate(Path.of(config.dataDir()), consoleIsTerminal()));
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

    /**
     * The key, if it may guard the gateway; otherwise fails with a message naming where it came from (never the
     * key itself) and how to make a good one.
     */
    static String checked(String key, String source) {
        String folded = key.toLowerCase(Locale.ROOT).replaceAll("[\\s_-]", "");
        String why = null;
        if (key.length() < MIN_LENGTH) {
            why = "is " + key.length() + " characters long; it must have at least " + MIN_LENGTH;
        } else if (PLACEHOLDERS.contains(folded) || folded.chars().distinct().count() < 4) {
            why = "is a placeholder from an example, not a secret";
        }
        if (why != null) {
            throw new IllegalStateException("The master key in " + source + " " + why + ". Generate one with "
                    + "'openssl rand -hex 32', or unset it to let Sluice generate and store one in its data directory.");
        }
        return key;
    }

    static String loadOrGenerate(Path dataDir, boolean terminal) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!stored.isEmpty()) {
                    Log.infof("Master key read from %s", file);
                    return checked(stored, file.toString());
                }
            }
            Files.createDirectories(dataDir);
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
            Files.deleteIfExists(tmp);
            writePrivately(tmp, (key + "\n").getBytes(StandardCharsets.UTF_8));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            if (terminal) {
                // Printed once, on an interactive console only, so that the operator can use the gateway at once.
                System.out.println("\n  Sluice generated a master key (stored in " + file + "):\n\n    " + key
                        + "\n\n  Send it as 'Authorization: Bearer <key>'. Set SLUICE_MASTER_KEY to choose your own.\n");
            } else {
                // a log is read by more people than the key is meant for: say where the key is, not what it is
                System.out.println("\n  Sluice generated a master key and stored it in " + file + " (readable by "
                        + "its owner only). Read it from there, or set SLUICE_MASTER_KEY to choose your own.\n");
            }
            Log.infof("Master key generated and stored in %s", file);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the master key in " + dataDir
                    + " (set SLUICE_DATA_DIR to a writable directory, or SLUICE_MASTER_KEY)", e);
        }
    }

    /** Creates {@code file} with mode 600 from the start (where the file system has POSIX modes) and writes it. */
    private static void writePrivately(Path file, byte[] content) throws IOException {
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.SYNC);
        FileAttribute<?>[] attributes = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        try (SeekableByteChannel channel = Files.newByteChannel(file, options, attributes)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    /**
     * Whether standard output is an interactive terminal. {@code System.console()} answers that up to Java 21;
     * from Java 22 it returns a console for redirected output too, and {@code Console.isTerminal()} tells.
     */
    static boolean consoleIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException olderJava) {
            return true;
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
