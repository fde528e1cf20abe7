package io.github.panamasockets.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs a process with its output in files (no pipes into this JVM), waits for it and returns what
 * it printed: a child JVM on the test class path, a C compiler, a compiled C program.
 */
final class Child {
    private Child() {}

    record Result(int exit, String stdout, String stderr) {
        List<String> lines() {
            return stdout.lines().toList();
        }
    }

    /** Runs {@code command} in {@code dir}; fails the test after {@code timeoutSeconds}. */
    static Result run(Path dir, List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt"), err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                fail("timed out after " + timeoutSeconds + " s: " + command + "\n" + Files.readString(err));
            }
        } finally {
            if (p.isAlive()) p.destroyForcibly().waitFor();
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** A JVM on this test class path running {@code main}, with native access and the given -D/-X options. */
    static Result java(Path dir, Class<?> main, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        return java(dir, main, jvmOptions, 120, args);
    }

    /** As {@link #java(Path, Class, List, String...)}, allowed {@code timeoutSeconds}. */
    static Result java(Path dir, Class<?> main, List<String> jvmOptions, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-XX:TieredStopAtLevel=1"); // short-lived: C1 is enough
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return run(dir, cmd, timeoutSeconds);
    }

    /** The options that send the trace logger's DEBUG lines, bare ("DEBUG connect(...)"), to standard output. */
    static List<String> traceOptions() {
        return List.of("-Dorg.slf4j.simpleLogger.log.io.github.panamasockets.trace=debug",
                "-Dorg.slf4j.simpleLogger.logFile=System.out",
                "-Dorg.slf4j.simpleLogger.showThreadName=false",
                "-Dorg.slf4j.simpleLogger.showLogName=false",
                "-Dorg.slf4j.simpleLogger.showShortLogName=false");
    }

    /** The trace lines of a child's standard output, without slf4j-simple's "DEBUG " prefix. */
    static List<String> traceLines(Result r) {
        return r.lines().stream().filter(l -> l.startsWith("DEBUG ")).map(l -> l.substring("DEBUG ".length())).toList();
    }

    /** Whether a C compiler named {@code cc} is on the PATH. */
    static boolean haveCc() {
        return onPath("cc");
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    /**
     * What the C program {@code source} (reading nothing, deterministic) prints, compiled with cc
     * and {@code flags}. Remembered per JVM by source and flags: the mutation run (./psock mutate)
     * runs the same comparison once for each mutant, and the C side never changes.
     */
    static Result ccOutput(Path dir, String name, List<String> flags, String source, long timeoutSeconds) throws IOException, InterruptedException {
        String key = flags + "\n" + source;
        Result known = C_OUTPUTS.get(key);
        if (known != null) return known;
        Path c = dir.resolve(name + ".c"), exe = dir.resolve(name);
        Files.writeString(c, source);
        List<String> cc = new ArrayList<>(List.of("cc"));
        cc.addAll(flags);
        cc.addAll(List.of("-o", exe.toString(), c.toString()));
        Result compiled = run(dir, cc, 300);
        if (compiled.exit() != 0) fail("cc " + c + " failed:\n" + compiled.stderr());
        Result r = run(dir, List.of(exe.toString()), timeoutSeconds);
        if (r.exit() == 0) C_OUTPUTS.put(key, r);
        return r;
    }

    private static final java.util.Map<String, Result> C_OUTPUTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Compiles {@code source} with cc into {@code dir/name}; returns the executable. */
    static Path cc(Path dir, String name, String source) throws IOException, InterruptedException {
        Path c = dir.resolve(name + ".c"), exe = dir.resolve(name);
        Files.writeString(c, source);
        Result r = run(dir, List.of("cc", "-std=gnu11", "-O0", "-o", exe.toString(), c.toString()), 60);
        if (r.exit() != 0) fail("cc " + c + " failed:\n" + r.stderr());
        return exe;
    }
}
