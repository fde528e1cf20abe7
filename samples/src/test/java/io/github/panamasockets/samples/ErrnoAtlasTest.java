package io.github.panamasockets.samples;

import io.github.panamasockets.samples.ErrnoAtlasCommand.Entry;
import io.github.panamasockets.samples.ErrnoAtlasCommand.Run;
import io.github.panamasockets.samples.SampleRuns.Commands;
import io.github.panamasockets.samples.SampleRuns.Lang;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The errno atlas: every experiment, run as the Java port (traced) and as its C twin in the same
 * setting, makes the same call fail with the same errno, and that errno is the experiment's. One
 * that cannot run here (no namespace, say) is skipped with the reason, never passed. And the
 * atlas agrees with the facade's javadoc: every errno listed there has an experiment or a reason
 * why not, and every experiment's failing call lists its errno.
 */
@Timeout(120)
class ErrnoAtlasTest {

    private static final Commands COMMANDS = TestRuns.commands();
    private static final Path ROOT = SampleRuns.root();

    static Stream<String> names() {
        return ErrnoAtlasCommand.ENTRIES.stream().map(Entry::name);
    }

    /** Calls that glibc answers without a system call that fails (getaddrinfo's codes, inet_ntop's ENOSPC, if_nametoindex's ioctl). */
    private static final java.util.Set<String> LIBC_ONLY = java.util.Set.of("getaddrinfo", "getnameinfo", "inet_ntop", "if_nametoindex");

    private static final Pattern VERDICT = Pattern.compile("failed: (\\w+) = (?:-1 |NULL |0 )?(E\\w+) \\((.*)\\)");

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void javaAndCFailTheSameCallWithTheExperimentsErrno(String name) throws IOException {
        Entry e = ErrnoAtlasCommand.entry(name);
        Optional<String> cannot = ErrnoAtlasCommand.cannotRun(e);
        assumeTrue(cannot.isEmpty(), () -> "skipped: " + cannot.get());

        Run c = ErrnoAtlasCommand.run(COMMANDS, e, Lang.C, true); // under strace
        Run java = ErrnoAtlasCommand.run(COMMANDS, e, Lang.JAVA, true);
        assertFalse(c.output().timedOut() || java.output().timedOut(), name + ": an experiment did not end");
        if (c.skipped() && java.skipped()) {
            assumeTrue(false, name + ": both twins said " + c.verdict());
        }
        assertEquals(0, c.exit(), "the C twin of " + name + ": " + TestRuns.all(c.output()));
        assertEquals(0, java.exit(), "the Java port of " + name + ": " + TestRuns.all(java.output()));
        assertEquals(c.verdict(), java.verdict(), name + ": the failing call and errno, C against Java");

        Matcher m = VERDICT.matcher(java.verdict());
        assertTrue(m.matches(), java.verdict());
        assertEquals(name, m.group(2), "the errno the experiment got");

        // The facade's trace shows the failure as strace does: "= -1 NAME (text)", "= -2 EAI_NONAME (text)", "= NULL ENOSPC (text)";
        // a library call that is no system call is marked with a leading ~ (~getaddrinfo, ~inet_ntop).
        String failure = " " + name + " (" + m.group(3) + ")";
        assertTrue(java.trace().stream().anyMatch(l -> l.matches("~?\\w+\\(.*\\) = (-\\d+|NULL|0)" + Pattern.quote(failure))),
                name + ": no traced call failed with" + failure + " in " + java.trace());
        // And strace saw the kernel return it to the C twin, unless the call is glibc's alone.
        if (!LIBC_ONLY.contains(m.group(1))) {
            assertTrue(c.trace().stream().anyMatch(l -> l.endsWith(" = -1" + failure)),
                    name + ": strace saw no system call of the C twin fail with" + failure + " in " + c.trace());
        }
    }

    /** errno -> the call its experiment's verdict names, read from the C twin: verdict("connect", r, ECONNREFUSED). */
    private static Map<String, String> experimentCalls() throws IOException {
        Map<String, String> calls = new LinkedHashMap<>();
        Matcher m = Pattern.compile("verdict(?:_as)?\\(\"(\\w+)\", [^;]*?, (E\\w+)\\);").matcher(Files.readString(ErrnoAtlasCommand.cSource(ROOT)));
        while (m.find()) calls.put(m.group(2), m.group(1));
        return calls;
    }

    @Test
    void everyExperimentsErrnoIsInItsCallsJavadocList() throws IOException {
        Map<String, TreeSet<String>> lists = ErrnoAtlasCommand.javadocLists(ROOT);
        Map<String, String> calls = experimentCalls();
        for (Entry e : ErrnoAtlasCommand.ENTRIES) {
            if (e.name().startsWith("EAI_")) continue;
            String call = calls.get(e.name());
            assertNotNull(call, "no verdict(...) for " + e.name() + " in errno-atlas.c");
            TreeSet<String> callsListingIt = lists.get(e.name());
            assertTrue(callsListingIt != null && callsListingIt.contains(call),
                    e.name() + " comes from " + call + "(), whose javadoc errno list lacks it (calls listing it: " + callsListingIt + ")");
        }
    }

    @Test
    void everyListedErrnoHasAnExperimentOrAReason() throws IOException {
        List<String> unexplained = new ArrayList<>();
        for (String name : ErrnoAtlasCommand.allNames(ErrnoAtlasCommand.javadocLists(ROOT))) {
            if (ErrnoAtlasCommand.entry(name) == null && !ErrnoAtlasCommand.NOT_PROVOKED.containsKey(name)) unexplained.add(name);
        }
        assertEquals(List.of(), unexplained, "errnos of the javadoc lists with neither an experiment nor a reason in NOT_PROVOKED");
        for (String name : ErrnoAtlasCommand.NOT_PROVOKED.keySet()) {
            assertEquals(null, ErrnoAtlasCommand.entry(name), name + " has an experiment and a reason why it has none");
        }
    }

    @Test
    void theTwinsHaveTheSameExperimentsInTheSameOrder() throws IOException {
        List<String> c = new ArrayList<>();
        Matcher m = Pattern.compile("\\{\"(E\\w+)\", e_\\1\\}").matcher(Files.readString(ErrnoAtlasCommand.cSource(ROOT)));
        while (m.find()) c.add(m.group(1));
        List<String> entries = names().toList();
        assertEquals(entries, c, "errno-atlas.c's table against ErrnoAtlasCommand.ENTRIES");
        assertEquals(entries, List.copyOf(ErrnoAtlas.EXPERIMENTS.keySet()), "ErrnoAtlas.EXPERIMENTS against ErrnoAtlasCommand.ENTRIES");
    }

    @Test
    void eachTwinMarksItsFailingLine() throws IOException {
        for (Entry e : ErrnoAtlasCommand.ENTRIES) {
            for (Path source : List.of(ErrnoAtlasCommand.cSource(ROOT), ErrnoAtlasCommand.javaSource(ROOT))) {
                String line = ErrnoAtlasCommand.failingLine(source, e.name());
                if (line.startsWith("(not found")) fail(e.name() + ": " + line);
            }
        }
    }

    @Test
    void aliasesAndNumbersFindTheirExperiment() {
        assertEquals("EAGAIN", ErrnoAtlasCommand.resolve("EWOULDBLOCK").name());
        assertEquals("ECONNREFUSED", ErrnoAtlasCommand.resolve("111").name());
        assertEquals(null, ErrnoAtlasCommand.resolve("ENFILE"));
    }
}
