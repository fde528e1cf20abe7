package io.github.panamasockets.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link CloseRace} in a child JVM with the trace on: no exception after a system call, whatever another thread closes. */
@ExtendWith(NoLeaks.class)
class CloseRaceTest {
    @Test
    void closingABuffersSharedArenaDuringTheCallNeverThrowsAfterIt(@TempDir Path dir) throws Exception {
        List<String> options = new ArrayList<>(Child.traceOptions());
        options.set(1, "-Dorg.slf4j.simpleLogger.logFile=" + dir.resolve("trace.log"));
        int rounds = Integer.getInteger("psock.closeRaceRounds", 3_000);
        Child.Result r = Child.java(dir, CloseRace.class, options, String.valueOf(rounds));
        System.out.println("CloseRace: " + r.stdout().strip());
        assertEquals(0, r.exit(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("thrown after the call: 0"), r.stdout());
        assertTrue(r.stdout().startsWith("rounds: " + rounds + ", ok: "), r.stdout());
    }
}
