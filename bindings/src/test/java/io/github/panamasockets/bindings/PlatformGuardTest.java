package io.github.panamasockets.bindings;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Loading the bindings on a platform they were not generated for fails with one clear message.
 * The guard and {@code sockets_h.PLATFORM} are the project generator's additions: bindings that
 * {@code jextract @native/sockets.jextract} wrote have neither, so there is nothing to test then.
 */
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

    /** sockets_h.PLATFORM, read reflectively so that this compiles against jextract's bindings too. */
    private static String platform() throws Exception {
        boolean generatedHere = false;
        for (var f : sockets_h.class.getFields()) generatedHere |= f.getName().equals("PLATFORM");
        assumeTrue(generatedHere, "the bindings in the tree were written by jextract, which adds no platform guard");
        return (String) sockets_h.class.getField("PLATFORM").get(null);
    }

    @Test
    void anotherPlatformIsRefusedNamingBothPlatformsAndTheRegenerationCommand() throws Exception {
        String platform = platform();
        var r = ProjectFiles.run(ProjectFiles.root(), List.of(ProjectFiles.java(), "--enable-native-access=ALL-UNNAMED",
                "-Dpanamasockets.platform=macos-aarch64", "-cp", System.getProperty("java.class.path"), PlatformGuardTest.class.getName()));
        assertEquals(3, r.status(), r.output());
        assertEquals("Panama Sockets bindings were generated for " + platform + " (" + platform
                        + ", glibc 2.36) but this JVM runs on macos-aarch64; regenerate them there with: ./psock generate",
                r.output().strip().replaceFirst("glibc [0-9.]+", "glibc 2.36"));
    }

    @Test
    void thePlatformItWasGeneratedForLoads() throws Exception {
        String platform = platform();
        var r = ProjectFiles.run(ProjectFiles.root(), List.of(ProjectFiles.java(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), PlatformGuardTest.class.getName()));
        assertEquals(0, r.status(), r.output());
        assertEquals("AF_INET=2", r.output().strip());
        assertNotEquals("", platform);
        assertTrue(platform.matches("[a-z]+-[a-z0-9_]+"));
    }
}
