package io.github.panamasockets.samples;

import io.github.panamasockets.samples.SampleRuns.Commands;
import io.github.panamasockets.samples.SampleRuns.Output;
import io.github.panamasockets.samples.SampleRuns.Scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What the samples' tests share: how to start a sample, the scenarios by kind, and the check of a run's end. */
final class TestRuns {
    private TestRuns() {}

    /**
     * The tour's commands, with the class path the build wrote (target/classpath.txt) and no
     * trace. A missing C twin fails the test that needs it, naming `make -C native`.
     */
    static Commands commands() {
        Path root = SampleRuns.root();
        Path classpath = root.resolve("samples").resolve("target").resolve("classpath.txt");
        if (!Files.isRegularFile(classpath)) {
            fail(classpath + " is missing: the build writes it (mvn -pl samples process-resources, or ./psock build)");
        }
        try {
            return new Commands(root, Files.readString(classpath).strip(), List.of());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Scenario> pairs() {
        return SampleRuns.SCENARIOS.stream().filter(Scenario::isPair);
    }

    static Stream<Scenario> alone() {
        return SampleRuns.SCENARIOS.stream().filter(s -> !s.isPair());
    }

    /** Every sample name, servers and clients, once. */
    static Stream<String> names() {
        return Launcher.SAMPLES.stream().map(Launcher.Sample::name);
    }

    /**
     * Skips the test of a sample that needs a capability this process lacks (raw-ping: CAP_NET_RAW,
     * bit 13 of CapEff in /proc/self/status), with the reason on the console too: without it the
     * sample only says "skipped" and exits 77, which shows nothing of what the test compares.
     */
    static void assumePrivileges(Scenario s) {
        if (!s.sample().equals("raw-ping")) return;
        boolean held;
        try {
            held = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("CapEff:"))
                    .anyMatch(l -> (Long.parseUnsignedLong(l.substring(7).strip(), 16) >>> 13 & 1) == 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String reason = s.sample() + " needs the CAP_NET_RAW capability (run as root)";
        if (!held) System.out.println("skipped: " + reason);
        assumeTrue(held, reason);
    }

    /** Fails unless the process ended by itself with status 0 (or 77, "skipped", when allowed). */
    static void assertEndedWell(Output o) {
        if (o.timedOut()) fail(o.label() + " did not end within " + SampleRuns.PROCESS_TIMEOUT.toSeconds() + " s; it printed:\n" + all(o));
        if (o.exit() != 0 && o.exit() != SampleRuns.SKIPPED) {
            assertEquals(0, o.exit(), o.label() + " failed; it printed:\n" + all(o));
        }
    }

    static String all(Output o) {
        return Stream.concat(o.stdout().stream(), o.stderr().stream().map(l -> "stderr: " + l)).collect(Collectors.joining("\n"));
    }
}
