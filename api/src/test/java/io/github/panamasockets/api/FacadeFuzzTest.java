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
                boolean canSucceed = !call.equals("waitpid"); // this JVM has no child of its own to wait for
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
        Child.Result r = Child.java(dir, FacadeFuzz.class, options, String.valueOf(seed), String.valueOf(Math.max(2_000, ITERATIONS / 10)));
        assertEquals(0, r.exit(), "traced fuzz, seed " + seed + " (rerun: java ... FacadeFuzz " + seed + " N):\n" + r.stdout() + r.stderr());
        assertTrue(r.stdout().startsWith("outcomes:"), r.stdout());
    }
}
