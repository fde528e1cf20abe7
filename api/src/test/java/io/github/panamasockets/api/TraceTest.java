package io.github.panamasockets.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The trace, line for line. {@link TraceScenario} runs in a child JVM with the logger
 * {@code io.github.panamasockets.trace} at DEBUG (slf4j-simple configured on its command line, to
 * standard output); every line it logs is compared with the one pinned in
 * {@link TraceScenario#STEPS}, with the run's descriptors, port and buffer addresses filled in.
 * The same program in C, run under the real strace, checks the pins against strace's own output.
 */
@ExtendWith(NoLeaks.class)
class TraceTest {

    static void assertLines(List<String> expected, List<String> actual, String what) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), what + ", line " + (i + 1));
        }
        assertEquals(expected.size(), actual.size(), what + ": number of lines\n" + String.join("\n", actual));
    }

    @Test
    void eachCallIsLoggedAsStracePrintsIt(@TempDir Path dir) throws Exception {
        Child.Result r = Child.java(dir, TraceScenario.class, Child.traceOptions());
        assertEquals(0, r.exit(), r.stderr() + r.stdout());
        Map<String, String> vars = TraceScenario.vars(r.lines());
        assertEquals("true", vars.get("TRACE_ON"), "the child decided the trace is on");
        assertLines(TraceScenario.expected(vars, false), Child.traceLines(r), "facade trace");
        // a few lines spelled out, as the issue has them
        List<String> lines = Child.traceLines(r);
        assertTrue(lines.contains("connect(" + vars.get("S") + ", {sa_family=AF_INET, sin_port=htons(" + vars.get("P")
                + "), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = -1 ECONNREFUSED (Connection refused)"));
        assertTrue(lines.contains("sendto(" + vars.get("A") + ", \"hello\\n\", 6, MSG_DONTWAIT|MSG_NOSIGNAL, NULL, 0) = 6"));
        assertTrue(lines.contains("select(" + vars.get("N") + ", [" + vars.get("A") + " " + vars.get("B") + "], NULL, NULL, {tv_sec=0, tv_usec=0}) = 1 (in ["
                + vars.get("B") + "], left {tv_sec=0, tv_usec=0})"));
    }

    @Test
    void withTheLoggerOffNothingIsLogged(@TempDir Path dir) throws Exception {
        Child.Result r = Child.java(dir, TraceScenario.class, List.of("-Dorg.slf4j.simpleLogger.logFile=System.out"));
        assertEquals(0, r.exit(), r.stderr());
        Map<String, String> vars = TraceScenario.vars(r.lines());
        assertEquals("false", vars.get("TRACE_ON"), "the child decided the trace is off");
        assertTrue(vars.containsKey("B") && vars.containsKey("W"), "the child ran the calls: " + vars);
        assertEquals(List.of(), r.lines().stream().filter(l -> !l.startsWith("@")).toList());
    }

    @Test
    void turnedOffByThePropertySlf4jIsNeverLoaded(@TempDir Path dir) throws Exception {
        Path classes = dir.resolve("classes.txt");
        List<String> options = new ArrayList<>(Child.traceOptions());
        options.add("-D" + Trace.PROPERTY + "=off");
        options.add("-Xlog:class+load:file=" + classes);
        Child.Result r = Child.java(dir, TraceScenario.class, options);
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(List.of(), r.lines().stream().filter(l -> !l.startsWith("@")).toList(), "no trace line with the logger at DEBUG but the property off");
        List<String> slf4j = java.nio.file.Files.readAllLines(classes).stream().filter(l -> l.contains(" org.slf4j.")).toList();
        assertEquals(List.of(), slf4j, "classes of SLF4J loaded");
        assertTrue(java.nio.file.Files.readString(classes).contains(" io.github.panamasockets.api.Trace "), "the trace was asked");
    }

    static final Pattern STRACE_PADDING = Pattern.compile("\\) +(= )");

    /** strace's lines between the C program's two markers, without its column padding and without the program's own printf writes. */
    static List<String> straceLines(List<String> raw) {
        List<String> lines = new ArrayList<>();
        boolean in = false;
        for (String l : raw) {
            Matcher m = STRACE_PADDING.matcher(l);
            String line = m.find() ? l.substring(0, m.start()) + ") " + m.group(1) + l.substring(m.end()) : l;
            if (line.startsWith("close(-42)")) { in = true; continue; }
            if (line.startsWith("close(-43)")) break;
            if (in && !line.startsWith("write(1, ")) lines.add(line);
        }
        return lines;
    }

    @Test
    void thePinnedLinesAreWhatStracePrintsForTheSameCallsInC(@TempDir Path dir) throws Exception {
        assumeTrue(Child.haveCc(), "cc is not installed");
        assumeTrue(Child.onPath("strace"), "strace is not installed");
        Path exe = Child.cc(dir, "trace_scenario", TraceScenario.C);
        Path out = dir.resolve("strace.txt");
        Child.Result r = Child.run(dir, List.of("strace", "-o", out.toString(), "-e",
                "trace=socket,bind,getsockname,connect,setsockopt,getsockopt,accept,accept4,shutdown,close,socketpair,sendto,recvfrom,select,pselect6,poll,"
                        + "epoll_create1,epoll_ctl,epoll_wait,read,write,listen,fcntl,pipe,pipe2", exe.toString()), 60);
        assumeTrue(r.exit() == 0 || !r.stderr().contains("ptrace"), "strace cannot trace here: " + r.stderr());
        assertEquals(0, r.exit(), r.stderr());
        Map<String, String> vars = TraceScenario.vars(r.lines());
        assertLines(TraceScenario.expected(vars, true), straceLines(java.nio.file.Files.readAllLines(out)), "strace of the C twin");
    }
}
