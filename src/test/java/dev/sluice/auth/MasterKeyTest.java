package dev.sluice.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
            first = MasterKey.loadOrGenerate(dataDir);
            String afterFirst = console.toString();
            assertTrue(afterFirst.contains(first), "the generated key is printed for the operator");
            console.reset();
            second = MasterKey.loadOrGenerate(dataDir);
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
            assertFalse(MasterKey.loadOrGenerate(dir.resolve("a")).equals(MasterKey.loadOrGenerate(dir.resolve("b"))));
        } finally {
            System.setOut(original);
        }
    }
}
