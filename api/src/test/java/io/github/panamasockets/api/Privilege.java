package io.github.panamasockets.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The capabilities a test may need, read from this process's effective set (CapEff in
 * /proc/self/status), as the kernel checks them: root normally has all of them, an ordinary
 * user none. A test that needs one is skipped without it, with a one-line reason naming it.
 */
enum Privilege {
    // bit numbers of <linux/capability.h>
    CAP_SETGID(6), CAP_SETUID(7), CAP_NET_BIND_SERVICE(10), CAP_NET_ADMIN(12), CAP_NET_RAW(13), CAP_SYS_ADMIN(21), CAP_SYS_RESOURCE(24);

    final int bit;

    Privilege(int bit) {
        this.bit = bit;
    }

    boolean held() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) return (Long.parseUnsignedLong(line.substring(7).strip(), 16) >>> bit & 1) == 1;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return false;
    }

    /** Skips the calling test unless this process holds the capability. */
    void assumeHeld(String what) {
        skipUnless(held(), what + " needs the " + name() + " capability (run as root)");
    }

    /** Skips the calling test when this process holds the capability: it shows what a user without it gets. */
    void assumeNotHeld(String what) {
        skipUnless(!held(), what + " shows what a caller without " + name() + " gets (run as an ordinary user)");
    }

    /** The reason goes to the console as well: Maven's summary counts skipped tests but does not say why. */
    private static void skipUnless(boolean condition, String reason) {
        if (!condition) System.out.println("skipped: " + reason);
        assumeTrue(condition, reason);
    }
}
