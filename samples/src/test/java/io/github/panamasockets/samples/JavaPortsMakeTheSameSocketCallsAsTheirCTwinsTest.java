package io.github.panamasockets.samples;

import io.github.panamasockets.samples.SampleRuns.Commands;
import io.github.panamasockets.samples.SampleRuns.Lang;
import io.github.panamasockets.samples.SampleRuns.Output;
import io.github.panamasockets.samples.SampleRuns.PairOutput;
import io.github.panamasockets.samples.SampleRuns.Scenario;
import io.github.panamasockets.samples.SampleRuns.Wrapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The proof that the facade adds no hidden call: under strace, each Java port makes the same
 * socket system calls as its C twin, in the same order, with the same arguments (those that do
 * not depend on the run: flags, lengths, option names, address families, descriptors numbered in
 * the order the sample created them), the same results and errno; every call counts, so a port
 * that skips a close or adds one differs. Each
 * traced run has partners that are not traced: a traced server gets C clients, traced clients
 * a C server. What counts as a socket call, and how a JVM's own calls are told from the sample's,
 * is {@link StraceLog}'s documented filter.
 *
 * <p>One normalisation is per sample: for two samples, how many bytes a data call moves depends
 * on timing, in C as in Java, and their positive byte counts compare as "n" (then a run of such
 * calls compares as one, "(once or more)"). tcp-states fills socket buffers with MSG_DONTWAIT sends and drains them: each call
 * moves what the kernel has room for at that moment. raw-ping's raw socket receives every ICMP
 * packet of the host, so besides its own request and the reply it may read other programs'
 * (another test suite's "port unreachable"), which it skips. half-close reads a request of three
 * writes to end of file: whether they arrive in one read or more is timing.
 *
 * <p>For epoll-et-server the waits (epoll_wait) and the calls that failed with EAGAIN are left out:
 * an edge-triggered server reads each socket until EAGAIN, and whether such a drain finds the
 * client's next line or FIN already there, or EAGAIN and then waits for it, depends on timing.
 * The data calls, their byte counts, the accepts and the closes are still compared.
 */
@Timeout(180)
class JavaPortsMakeTheSameSocketCallsAsTheirCTwinsTest {

    private static final Commands COMMANDS = TestRuns.commands();

    @TempDir
    Path dir;

    @BeforeAll
    static void straceIsInstalled() throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("strace", "-V").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            fail("strace is not installed: these tests need it on the PATH (apt-get install strace; .ci/run installs it)");
            return;
        }
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        assertEquals(0, p.exitValue(), "strace -V failed");
    }

    static Stream<Scenario> pairs() {
        return TestRuns.pairs();
    }

    static Stream<Scenario> alone() {
        return TestRuns.alone();
    }

    /** Runs the command of the given roles under strace, each into its own file: dir/NAME.LANG.ROLE.strace. */
    private Wrapper straced(List<String> roles, Lang lang, String sample) {
        return (role, command) -> {
            if (!roles.contains(role)) return command;
            List<String> c = new ArrayList<>(List.of("strace", "-f", "-qq", "--seccomp-bpf", "-o", log(sample, lang, role).toString(),
                    "-e", "trace=" + StraceLog.TRACED, "--"));
            c.addAll(command);
            return c;
        };
    }

    private Path log(String sample, Lang lang, String role) {
        return dir.resolve(sample + "." + lang + "." + role.replace(' ', '-') + ".strace");
    }

    private String socketCalls(String sample, Lang lang, String role, boolean countsMatter) throws IOException {
        Path file = log(sample, lang, role);
        if (SIGNAL_HANDLER_CALLS.contains(sample)) {
            return StraceLog.comparable(List.of(StraceLog.socketCallsInOrder(Files.readAllLines(file))), countsMatter, waitsMatter(sample));
        }
        String calls = StraceLog.comparable(StraceLog.socketCallsByThread(Files.readAllLines(file)).values(), countsMatter, waitsMatter(sample));
        // Clients that write at once: which one's line the server reads first is the scheduler's
        // choice, in C as in Java; the calls must match, the descriptor they land on need not.
        return RACING_CLIENTS.contains(sample) ? calls.replaceAll("\\bfd\\d+\\b", "fd") : calls;
    }

    private static final Set<String> RACING_CLIENTS = Set.of("poll-chat");

    /**
     * Samples whose signal handlers make socket calls: C runs a handler on the thread the signal
     * interrupted, the facade on a Java thread of its own, so their calls compare as one sequence
     * in the order they ended, not thread by thread.
     */
    private static final Set<String> SIGNAL_HANDLER_CALLS = Set.of("eintr");

    private static boolean countsMatter(String sample) {
        return !sample.equals("tcp-states") && !sample.equals("raw-ping") && !sample.equals("half-close");
    }

    private static boolean waitsMatter(String sample) {
        return !sample.equals("epoll-et-server");
    }

    private void assertSameCalls(String sample, String role, boolean countsMatter) throws IOException {
        String c = socketCalls(sample, Lang.C, role, countsMatter);
        String java = socketCalls(sample, Lang.JAVA, role, countsMatter);
        assertFalse(c.isBlank(), "strace saw no socket call of the C " + sample + " (" + role + ")");
        assertEquals(c, java, "the socket calls of the Java " + sample + " (" + role + "), one line per thread, against its C twin's");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void javaServerMakesTheSameSocketCallsAsTheCServer(Scenario s) throws IOException {
        for (Lang lang : Lang.values()) {
            PairOutput out = SampleRuns.runPair(COMMANDS, s, lang, Lang.C, straced(List.of("server"), lang, s.sample()), SampleRuns.Console.SILENT);
            out.all().forEach(TestRuns::assertEndedWell);
        }
        assertSameCalls(s.sample(), "server", countsMatter(s.sample()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void javaClientMakesTheSameSocketCallsAsTheCClient(Scenario s) throws IOException {
        List<String> roles = new ArrayList<>();
        for (int i = 1; i <= s.clientMessages().size(); i++) roles.add("client " + i);
        for (Lang lang : Lang.values()) {
            PairOutput out = SampleRuns.runPair(COMMANDS, s, Lang.C, lang, straced(roles, lang, s.client()), SampleRuns.Console.SILENT);
            out.all().forEach(TestRuns::assertEndedWell);
        }
        for (String role : roles) assertSameCalls(s.client(), role, countsMatter(s.client()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("alone")
    void javaPortAloneMakesTheSameSocketCallsAsItsCTwin(Scenario s) throws IOException {
        TestRuns.assumePrivileges(s);
        for (Lang lang : Lang.values()) {
            Output out = SampleRuns.runAlone(COMMANDS, s, lang, straced(List.of("sample"), lang, s.sample()), SampleRuns.Console.SILENT);
            TestRuns.assertEndedWell(out);
        }
        assertSameCalls(s.sample(), "sample", countsMatter(s.sample()));
    }
}
