package io.github.panamasockets.bindings;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** linux-aarch64 as seen from this machine: its cross compiler, and qemu-user to run its programs. */
final class CrossTarget {
    private CrossTarget() {}

    static final String PLATFORM = "linux-aarch64";
    static final String CC = "aarch64-linux-gnu-gcc";
    static final String QEMU = "qemu-aarch64";
    static final String SYSROOT = "/usr/aarch64-linux-gnu";
    /** Where its bindings module lives (bindings/ holds linux-x86_64's). */
    static final Path MODULE = Path.of("bindings/platforms/" + PLATFORM);

    /** Why aarch64 cannot be built and run here, in one line; null when it can. */
    static String missing() {
        List<String> absent = new ArrayList<>();
        if (!onPath(CC)) absent.add(CC + " (apt-get install gcc-aarch64-linux-gnu)");
        if (!Files.exists(Path.of(SYSROOT, "lib/ld-linux-aarch64.so.1"))) absent.add("the aarch64 C library in " + SYSROOT + " (apt-get install libc6-dev-arm64-cross)");
        if (!onPath(QEMU)) absent.add(QEMU + " (apt-get install qemu-user)");
        else if (!runs(QEMU, "--version")) absent.add(QEMU + " does not run here");
        return absent.isEmpty() ? null : "linux-aarch64 skipped: no " + String.join(", no ", absent);
    }

    /** The command line that runs an aarch64 program here. */
    static List<String> run(String program) {
        return List.of(QEMU, "-L", SYSROOT, program);
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, command).canExecute()) return true;
        }
        return false;
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) { p.destroyForcibly(); return false; }
            return p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
