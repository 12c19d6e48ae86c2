package dev.sluice.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MasterKeyTest {

    @Test
    void aMissingMasterKeyIsGeneratedStoredPrivatelyAndPrintedOnce(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("data");
        PrintStream original = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        String first;
        String second;
        try {
            System.setOut(new PrintStream(console, true));
            first = MasterKey.loadOrGenerate(dataDir, true);
            String afterFirst = console.toString();
            assertTrue(afterFirst.contains(first), "the generated key is printed for the operator at a terminal");
            console.reset();
            second = MasterKey.loadOrGenerate(dataDir, true);
            assertFalse(console.toString().contains(second), "an existing key is never printed again");
        } finally {
            System.setOut(original);
        }
        assertEquals(first, second, "the stored key survives a restart");
        assertTrue(first.startsWith("sk-sluice-master-") && first.length() > 50);
        Path file = dataDir.resolve("master.key");
        assertEquals(first, Files.readString(file).strip());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse(Files.exists(dataDir.resolve("master.key.tmp")));
    }

    @Test
    void twoDataDirectoriesGetDifferentKeys(@TempDir Path dir) {
        PrintStream original = System.out;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream()));
            assertFalse(MasterKey.loadOrGenerate(dir.resolve("a"), false).equals(MasterKey.loadOrGenerate(dir.resolve("b"), false)));
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void withoutATerminalOnlyTheKeysLocationIsPrinted(@TempDir Path dir) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        String key;
        try {
            System.setOut(new PrintStream(console, true));
            key = MasterKey.loadOrGenerate(dir, false);
        } finally {
            System.setOut(original);
        }
        assertFalse(console.toString().contains(key), "a log never holds the key: " + console);
        assertTrue(console.toString().contains(dir.resolve("master.key").toString()), console.toString());
    }

    @Test
    void theKeyFileIsCreatedPrivateEvenUnderAPermissiveUmask(@TempDir Path dir) throws Exception {
        // a stale temporary file left readable by a crash is replaced, not reused with its mode
        Files.writeString(dir.resolve("master.key.tmp"), "old");
        Files.setPosixFilePermissions(dir.resolve("master.key.tmp"), PosixFilePermissions.fromString("rw-rw-rw-"));
        PrintStream original = System.out;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream()));
            MasterKey.loadOrGenerate(dir, false);
        } finally {
            System.setOut(original);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("master.key"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"change-me-to-a-long-random-string", "sk-1234", "short-master-key-0123456789",
            "CHANGE_ME_TO_A_LONG_RANDOM_STRING", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void aShortOrPlaceholderKeyStopsTheStartWithAClearMessage(String key) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MasterKey.checked(key, "SLUICE_MASTER_KEY"));
        assertTrue(e.getMessage().contains("SLUICE_MASTER_KEY") && e.getMessage().contains("openssl rand -hex 32"),
                e.getMessage());
        assertFalse(e.getMessage().contains(key), "the message never repeats the key");
    }

    @Test
    void aShortKeyInTheDataDirectoryIsRefusedToo(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("master.key"), "hunter2\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> MasterKey.loadOrGenerate(dir, false));
        assertTrue(e.getMessage().contains("master.key"), e.getMessage());
    }

    @Test
    void aLongRandomKeyIsAccepted() {
        String key = "3f9a0c1e7b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f";
        assertEquals(key, MasterKey.checked(key, "SLUICE_MASTER_KEY"));
    }
}
