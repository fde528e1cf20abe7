package io.github.panamasockets.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The property test of the facade's memory safety ({@link FacadeFuzz}): seeded, the seed printed
 * on failure. {@code -Dpsock.fuzzIterations=400000} runs it 10x longer (default 40000);
 * {@code -Dpsock.fuzzSeed=N} replays a seed.
 */
@ExtendWith(NoLeaks.class)
class FacadeFuzzTest {
    static final int ITERATIONS = Integer.getInteger("psock.fuzzIterations", 40_000);
    static final long SEED = Long.getLong("psock.fuzzSeed", System.nanoTime());

    @Test
    void randomArgumentsThroughEveryPointerTakingCall() throws Exception {
        System.out.println("FacadeFuzz: seed " + SEED + ", " + ITERATIONS + " iterations");
        String report;
        try (FacadeFuzz fuzz = new FacadeFuzz(SEED)) {
            report = fuzz.run(ITERATIONS);
            List<String> missing = new ArrayList<>();
            for (String call : FacadeFuzz.CALLS) {
                // waitpid: this JVM has no child of its own to wait for; sigtimedwait: the fuzz raises no signal, so it times out (EAGAIN)
                boolean canSucceed = !call.equals("waitpid") && !call.equals("sigtimedwait");
                if (canSucceed && fuzz.outcomes.keySet().stream().noneMatch(k -> k.startsWith(call + " ok"))) missing.add(call + " never succeeded");
                if (fuzz.outcomes.keySet().stream().noneMatch(k -> k.startsWith(call + " refused"))) missing.add(call + " was never refused");
            }
            if (ITERATIONS >= 20_000) assertEquals(List.of(), missing, "the fuzz reached too little (seed " + SEED + "): " + fuzz.outcomes);
        }
        assertEquals("", report, "seed " + SEED);
    }

    /** The same random calls with the trace logger at DEBUG, in a child JVM: decoding random arguments must not throw either. */
    @Test
    void theTraceDecodesRandomArgumentsWithoutFailing(@TempDir Path dir) throws Exception {
        List<String> options = new ArrayList<>(Child.traceOptions());
        options.set(1, "-Dorg.slf4j.simpleLogger.logFile=" + dir.resolve("trace.log"));
        options.add("-Dpsock.root=" + System.getProperty("psock.root", Path.of("..").toAbsolutePath().normalize().toString()));
        long seed = SEED + 1;
        int calls = Math.max(2_000, ITERATIONS / 10);
        Child.Result r = Child.java(dir, FacadeFuzz.class, options, String.valueOf(seed), String.valueOf(calls));
        assertEquals(0, r.exit(), "traced fuzz, seed " + seed + " (rerun: java ... FacadeFuzz " + seed + " N):\n" + r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("calls: " + calls + ", ") && r.stdout().contains(", violations: 0,"), r.stdout());
        // every call left one whole trace line, "name(args) = result", naming a call the facade traces
        java.util.Set<String> traced = new java.util.TreeSet<>();
        try (var files = java.nio.file.Files.list(EveryTracedCallIsPinnedTest.API.resolve("main/java/io/github/panamasockets/api"))) {
            for (Path f : (Iterable<Path>) files::iterator) traced.addAll(EveryTracedCallIsPinnedTest.matches(EveryTracedCallIsPinnedTest.TRACED, java.nio.file.Files.readString(f)));
        }
        java.util.regex.Pattern line = java.util.regex.Pattern.compile("DEBUG ~?(\\w+)\\(.*\\) = \\S.*"); // ~: a library call, not a system call
        List<String> lines = java.nio.file.Files.readAllLines(dir.resolve("trace.log"));
        List<String> malformed = new ArrayList<>();
        int wellFormed = 0;
        for (String l : lines) {
            if (!l.startsWith("DEBUG ")) continue; // other loggers' INFO lines
            var m = line.matcher(l);
            if (m.matches() && traced.contains(m.group(1))) wellFormed++;
            else if (malformed.size() < 20) malformed.add(l);
        }
        assertEquals(List.of(), malformed, "trace lines that are not a traced call's \"name(args) = result\"");
        assertTrue(wellFormed >= calls / 2, "only " + wellFormed + " trace lines for " + calls + " calls");
    }

    static final int LONG_ITERATIONS = Integer.getInteger("psock.fuzzLongIterations", 20_000);

    /**
     * The same random calls in a child JVM with -Xmx2g, so that an int taken for an address can reach
     * the Java heap, with heap canary arrays checked every {@link FacadeFuzz#CANARY_BATCH} calls: no
     * canary may change, the JVM may not crash, no descriptor may be lost. Short by default;
     * {@code -Dpsock.fuzzLongIterations=1000000} is the long run.
     */
    @Test
    void aChildJvmWithA2GiBHeapKeepsEveryHeapCanary(@TempDir Path dir) throws Exception {
        long seed = SEED + 2;
        List<String> options = List.of("-Xmx2g", "-Xms1g", "-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=" + dir.resolve("hs_err.log"),
                "-Dpsock.root=" + System.getProperty("psock.root", Path.of("..").toAbsolutePath().normalize().toString()));
        int megabytes = LONG_ITERATIONS >= 1_000_000 ? 512 : 64;
        Child.Result r = Child.java(dir, FacadeFuzz.class, options, Math.max(600, LONG_ITERATIONS / 200), String.valueOf(seed),
                String.valueOf(LONG_ITERATIONS), String.valueOf(megabytes));
        System.out.println("FacadeFuzz in a child JVM (-Xmx2g), seed " + seed + ": " + r.stdout().lines().skip(1).findFirst().orElse(""));
        assertEquals(0, r.exit(), "child fuzz, seed " + seed + " (rerun: java -Xmx2g ... FacadeFuzz " + seed + " " + LONG_ITERATIONS + " " + megabytes + "):\n"
                + r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("calls: " + LONG_ITERATIONS + ", "), r.stdout());
        assertTrue(r.stdout().contains(", changed: 0, violations: 0,"), r.stdout());
    }
}
