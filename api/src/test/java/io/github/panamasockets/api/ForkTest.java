package io.github.panamasockets.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.github.panamasockets.api.Loopback.*;
import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fork(block): a child JVM that runs the block with the caller's descriptors, and its exit status. */
@ExtendWith(NoLeaks.class)
class ForkTest {

    /** waitpid for pid; its wstatus. */
    static int waitFor(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            assertEquals(pid, ok("waitpid", waitpid(pid, status, 0)));
            return status.get(ValueLayout.JAVA_INT, 0);
        }
    }

    static void sendAll(int fd, String text) {
        try (Arena arena = Arena.ofConfined()) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            MemorySegment buf = arena.allocate(b.length);
            buf.copyFrom(MemorySegment.ofArray(b));
            for (long off = 0; off < b.length; ) off += ok("write", write(fd, buf.asSlice(off), b.length - off));
        }
    }

    /** Reads until end of file. */
    static String readAll(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(65536);
            StringBuilder s = new StringBuilder();
            long n;
            while ((n = ok("read", read(fd, buf, buf.byteSize()))) > 0) s.append(SocketBehaviourTest.text(buf, n));
            return s.toString();
        }
    }

    /** The child's side of the exchange: reads the parent's line, answers with what it captured. */
    static int answer(int fd, int number, String word, List<String> list) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(100);
            long n = read(fd, buf, buf.byteSize());
            if (n <= 0) return 3;
            sendAll(fd, "got " + SocketBehaviourTest.text(buf, n) + ", captured " + number + " " + word + " " + list + ", pid " + getpid());
            return close(fd) == 0 ? 7 : 4;
        }
    }

    @Test
    void parentAndChildTalkOverASocketpairAndWaitpidSeesTheExitStatus() {
        int[] sv = socketpair(SOCK_STREAM);
        int parentEnd = sv[0], childEnd = sv[1];
        int number = 42;
        String word = "über";
        List<String> list = new ArrayList<>(List.of("a", "b"));
        int pid = fork(() -> {
            close(parentEnd);
            System.exit(answer(childEnd, number, word, list));
        });
        assertTrue(pid > 0, "fork: " + pid + " " + strerrorname(errno()));
        ok("close", close(childEnd)); // as C's parent does: the child owns its end now
        sendAll(parentEnd, "hello");
        String reply = readAll(parentEnd);
        ok("close", close(parentEnd));
        int status = waitFor(pid);
        assertEquals("got hello, captured 42 über [a, b], pid " + pid, reply);
        assertTrue(WIFEXITED(status));
        assertEquals(7, WEXITSTATUS(status));
    }

    @Test
    void aBlockThatReturnsExitsZeroAndOneThatThrowsExitsOne() {
        int pid = fork(() -> { });
        assertTrue(pid > 0);
        int status = waitFor(pid);
        assertTrue(WIFEXITED(status));
        assertEquals(0, WEXITSTATUS(status));

        pid = fork(() -> { throw new IllegalStateException("on purpose, in a forked child: ForkTest"); });
        assertTrue(pid > 0);
        status = waitFor(pid);
        assertTrue(WIFEXITED(status));
        assertEquals(1, WEXITSTATUS(status));
    }

    @Test
    void aBlockThatCapturesMemoryIsRefusedWithEinval() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(16);
            assertFails(EINVAL, fork(() -> buf.fill((byte) 1)), "fork of a block capturing a MemorySegment");
        }
        assertFails(EINVAL, fork(null), "fork(NULL)");
    }

    @Test
    void aBlockTooLargeForExecveFailsWithE2big() {
        String big = "x".repeat(32 << 20); // past ARG_MAX whatever the stack limit (execve caps it at 6 MiB... of 3/4 of the stack)
        assertFails(E2BIG, fork(() -> System.exit(big.length() == 0 ? 1 : 0)), "fork of a 32 MiB block");
    }

    /** This process's descriptors: number to what each points to. */
    static Map<Integer, String> fds() {
        Map<Integer, String> fds = new TreeMap<>();
        String[] names = new java.io.File("/proc/self/fd").list();
        for (String name : names) {
            String target = Fork.target(Integer.parseInt(name));
            if (target != null) fds.put(Integer.parseInt(name), target);
        }
        return fds;
    }

    /** What a child gets at exec: the descriptors neither the JVM's own nor close-on-exec. */
    static Map<Integer, String> expectedInChild() {
        Map<Integer, String> expected = new TreeMap<>();
        fds().forEach((fd, target) -> {
            if (!Fork.jvmOwn(target, Fork.jvmPaths()) && (fcntl(fd, F_GETFD) & FD_CLOEXEC) == 0) expected.put(fd, target);
        });
        return expected;
    }

    /** Another process's descriptors, from /proc/PID/fd. */
    static Map<Integer, String> fdsOf(int pid) throws IOException {
        Map<Integer, String> fds = new TreeMap<>();
        try (var list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) list::iterator) fds.put(Integer.parseInt(fd.getFileName().toString()), Files.readSymbolicLink(fd).toString());
        }
        return fds;
    }

    @Test
    void theChildStartsWithExactlyTheCallersDescriptorsAndNoneOfTheJvms() throws IOException {
        int[] sv = socketpair(SOCK_STREAM);
        int[] p = pipe();
        int cloexec = ok("socket", socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        try {
            Map<Integer, String> expected = expectedInChild();
            assertTrue(expected.containsKey(sv[1]) && expected.containsKey(p[0]) && !expected.containsKey(cloexec));
            assertTrue(expected.values().stream().noneMatch(t -> t.endsWith(".jar") || t.endsWith("/modules")), "jars: " + expected);

            // What a program exec'd the way fork starts its JVM finds open: sleep(1), read from /proc
            // once it sleeps (posix_spawn returns after the exec).
            int pid = Fork.spawn(List.of("/bin/sleep", "60"));
            assertTrue(pid > 0, "spawn: " + pid);
            Map<Integer, String> atExec;
            try {
                while (!Files.readString(Path.of("/proc/" + pid + "/stat")).matches("\\d+ \\(sleep\\) S .*\\s*")) Thread.onSpinWait();
                atExec = fdsOf(pid);
            } finally {
                kill(pid, SIGKILL);
                waitFor(pid);
            }
            assertEquals(expected, atExec, "the descriptors at exec");
        } finally {
            closeAll(sv[0], sv[1], p[0], p[1], cloexec);
        }
    }

    /** The child's view: each of its descriptors and what it points to, one "fd target" a line. */
    static void listFds(int fd) {
        StringBuilder s = new StringBuilder();
        fds().forEach((n, target) -> s.append(n).append(' ').append(target).append('\n'));
        sendAll(fd, s.toString());
    }

    @Test
    void theBlockSeesTheCallersDescriptorsAtTheirNumbersAndOtherwiseOnlyItsJvmsOwn() {
        int[] sv = socketpair(SOCK_STREAM);
        int[] p = pipe();
        try {
            Map<Integer, String> expected = expectedInChild();
            int report = sv[1];
            int pid = fork(() -> { listFds(report); System.exit(0); });
            assertTrue(pid > 0);
            ok("close", close(sv[1]));
            sv[1] = -1;
            String lines = readAll(sv[0]);
            assertEquals(0, waitFor(pid));

            Map<Integer, String> child = new TreeMap<>();
            for (String line : lines.lines().toList()) child.put(Integer.parseInt(line.substring(0, line.indexOf(' '))), line.substring(line.indexOf(' ') + 1));
            Map<Integer, String> inherited = new TreeMap<>(), own = new TreeMap<>();
            child.forEach((fd, target) -> (expected.containsKey(fd) ? inherited : own).put(fd, target));
            assertEquals(expected, inherited, "the caller's descriptors, in the child");
            // Everything else the child JVM opened for itself after exec: its jars and module image, and the
            // directory it listed /proc/self/fd with. No socket, pipe or other file of the parent.
            own.values().removeIf(t -> Fork.jvmOwn(t, Fork.jvmPaths()) || t.matches("/proc/\\d+/fd"));
            assertEquals(Map.of(), own, "descriptors in the child that the caller did not have");
        } finally {
            closeAll(sv[0], sv[1], p[0], p[1]);
        }
    }

    /** What a block's run hands back to the test, in this JVM (the round trip below runs no child). */
    static final List<Object> SEEN = new ArrayList<>();

    /** A block of a class of its own (not a lambda): it travels by Java serialization. */
    record Remember(String what, int n) implements ForkBlock {
        @Override
        public void run() {
            SEEN.add(what + n);
        }
    }

    /**
     * The block's trip to the child, in this JVM: what serialize writes, deserialize reads back
     * as a block that sees every captured value as it was (each kind of value, and null), so that
     * a mutant in either half is seen here and not only by a child JVM that runs unmutated code.
     */
    @Test
    void aBlockAndEveryKindOfCapturedValueSurviveTheTripToTheChild() throws Exception {
        int i = -7;
        long j = 1L << 40;
        short h = -300;
        byte b = -2;
        char c = 'é';
        boolean z = true;
        double d = -0.5;
        float f = 1.25f;
        String t = "naïve text";
        String none = null;
        List<Integer> list = new ArrayList<>(List.of(1, 2, 3)); // an object: through Java serialization
        ForkBlock lambda = () -> SEEN.addAll(java.util.Arrays.asList(i, j, h, b, c, z, d, f, t, none, list));
        SEEN.clear();
        Fork.deserialize(Fork.serialize(lambda)).run();
        assertEquals(java.util.Arrays.asList(-7, 1L << 40, (short) -300, (byte) -2, 'é', true, -0.5, 1.25f, "naïve text", null, List.of(1, 2, 3)), SEEN);
        assertEquals(List.of(Integer.class, Long.class, Short.class, Byte.class, Character.class, Boolean.class, Double.class, Float.class, String.class),
                SEEN.subList(0, 9).stream().map(Object::getClass).toList(), "each captured value keeps its type");

        SEEN.clear();
        byte[] record = Fork.serialize(new Remember("record ", 42));
        assertEquals('O', record[4], "a block that is not a lambda: one serialized object after the magic");
        Fork.deserialize(record).run();
        assertEquals(List.of("record 42"), SEEN);
        SEEN.clear();

        byte[] wrong = Fork.serialize(lambda);
        wrong[0] ^= 1;
        assertEquals("not a block written by fork", org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> Fork.deserialize(wrong)).getMessage());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment captured = arena.allocate(4);
            assertEquals(null, Fork.serialize(() -> captured.get(ValueLayout.JAVA_INT, 0)), "a captured segment cannot travel");
        }
    }

    /** The child's command line: this JVM's java first, its main class, then the block's Base64 text in pieces below Linux's MAX_ARG_STRLEN. */
    @Test
    void theChildsCommandLineCarriesTheBlockInPieces() {
        byte[] block = new byte[Fork.PIECE]; // Base64: 4/3 as long, so two pieces
        for (int k = 0; k < block.length; k++) block[k] = (byte) (k * 31);
        List<String> argv = Fork.command(block);
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toString(), argv.get(0));
        int main = argv.indexOf(ForkChild.class.getName());
        assertTrue(main > 0, "the child's main class in " + argv);
        List<String> pieces = argv.subList(main + 1, argv.size());
        assertEquals(2, pieces.size());
        assertEquals(Fork.PIECE, pieces.get(0).length());
        assertEquals(java.util.Base64.getEncoder().encodeToString(block), String.join("", pieces));
        assertEquals(System.getProperty("java.class.path"), argv.get(argv.indexOf("-cp") + 1));

        for (String option : List.of("-agentlib:jdwp=transport=dt_socket", "-agentpath:/x.so", "-javaagent:/a.jar", "-Xrunjdwp:x", "-Xdebug",
                "-Xlog:gc", "-XX:StartFlightRecording", "-XX:FlightRecorderOptions=x"))
            assertTrue(!Fork.passesToChild(option), option);
        for (String option : List.of("-Xss2m", "--enable-native-access=ALL-UNNAMED", "-Dx=y", "-Xmx64m", "-XX:+UseSerialGC"))
            assertTrue(Fork.passesToChild(option), option);
    }

    /** Which descriptor targets are the JVM's own: never a socket or pipe, always a jar, the JDK's files and randomness, the class path's files exactly. */
    @Test
    void theJvmsOwnFilesAreTheJarsTheJdkAndTheClassPathExactly() {
        java.util.Set<String> paths = java.util.Set.of("/cp/classes", "/cp/lib.zip");
        String home = Path.of(System.getProperty("java.home")).toAbsolutePath().normalize().toString();
        for (String own : List.of("/x/y.jar", "/x/y.jmod", "/dev/random", "/dev/urandom", "/cp/lib.zip", "/cp/classes"))
            assertTrue(Fork.jvmOwn(own, paths), own);
        for (String notOwn : List.of("socket:[123]", "pipe:[4]", "anon_inode:[eventfd]", "/cp/classes/Other.class", "/tmp/f", "/dev/null", "x.jar", home + "x"))
            assertTrue(!Fork.jvmOwn(notOwn, paths), notOwn);
        try {
            String real = Path.of(System.getProperty("java.home")).toRealPath().toString();
            assertTrue(Fork.jvmOwn(real + "/lib/modules", paths), "the module image under java.home");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
