package io.github.panamasockets.bindings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Where the repository is, and a way to run a command in it, for tests that use the C compiler. */
final class ProjectFiles {
    private ProjectFiles() {}

    static Path root() {
        String root = System.getProperty("psock.root");
        return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    }

    /**
     * The bindings module of the platform these tests run on, relative to the root: bindings/ for
     * linux-x86_64, bindings/platforms/PLATFORM for the others (the one built into target/classes there).
     */
    static Path hostModule() {
        String platform;
        try {
            platform = (String) sockets_h.class.getField("PLATFORM").get(null);
        } catch (ReflectiveOperationException jextractsBindings) {
            return Path.of("bindings");   // jextract's bindings over the tree: no platform field, linux-x86_64's place
        }
        return Path.of(platform.equals("linux-x86_64") ? "bindings" : "bindings/platforms/" + platform);
    }

    /** The java launcher of the JVM running the tests. */
    static String java() {
        return ProcessHandle.current().info().command().orElseThrow();
    }

    record Result(int status, String output) {}

    /** Runs a command to completion (stdout and stderr together); it may take at most two minutes. */
    static Result run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
