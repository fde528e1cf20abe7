package io.github.panamasockets.bindings;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading the bindings on a platform they were not generated for fails with one clear message. */
class PlatformGuardTest {

    /** Touches the bindings in a fresh JVM; prints the failure's message. */
    public static void main(String[] args) {
        try {
            System.out.println("AF_INET=" + sockets_h.AF_INET());
        } catch (ExceptionInInitializerError e) {
            System.out.println(e.getCause().getMessage());
            System.exit(3);
        }
    }

    @Test
    void anotherPlatformIsRefusedNamingBothPlatformsAndTheRegenerationCommand() throws Exception {
        var r = ProjectFiles.run(ProjectFiles.root(), List.of(ProjectFiles.java(), "--enable-native-access=ALL-UNNAMED",
                "-Dpanamasockets.platform=macos-aarch64", "-cp", System.getProperty("java.class.path"), PlatformGuardTest.class.getName()));
        assertEquals(3, r.status(), r.output());
        assertEquals("Panama Sockets bindings were generated for " + sockets_h.PLATFORM + " (" + sockets_h.PLATFORM
                        + ", glibc 2.36) but this JVM runs on macos-aarch64; regenerate them there with: ./psock generate",
                r.output().strip().replaceFirst("glibc [0-9.]+", "glibc 2.36"));
    }

    @Test
    void thePlatformItWasGeneratedForLoads() throws Exception {
        var r = ProjectFiles.run(ProjectFiles.root(), List.of(ProjectFiles.java(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), PlatformGuardTest.class.getName()));
        assertEquals(0, r.status(), r.output());
        assertEquals("AF_INET=2", r.output().strip());
        assertNotEquals("", sockets_h.PLATFORM);
        assertTrue(sockets_h.PLATFORM.matches("[a-z]+-[a-z0-9_]+"));
    }
}
