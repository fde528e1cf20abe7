package io.github.panamasockets.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trace of the file, process, event, mapping and interface calls: strace's spelling, and no line that throws. */
@ExtendWith(NoLeaks.class)
class SyscallsTraceTest {

    @Test
    void eachNewCallIsTracedAsStracePrintsIt() throws Exception {
        Path dir = Files.createTempDirectory("psock-trace");
        try {
            Child.Result r = Child.java(dir, SyscallsTraceScenario.class, Child.traceOptions(), dir.toString());
            assertEquals(0, r.exit(), r.stderr() + r.stdout());
            assertPinnedLines(Child.traceLines(r), dir.toString(), r.lines());
        } finally {
            delete(dir);
        }
    }

    /**
     * The same scenario in this JVM, the trace logger turned to DEBUG for it: a mutant that drops
     * or changes one of these lines (the child JVM above runs the unmutated classes) is seen.
     */
    @Test
    void theScenarioInThisJvmLogsTheSameLines() throws Exception {
        Path dir = Files.createTempDirectory("psock-trace");
        int umask = PosixFiles.umask(022); // the scenario's first line pins the usual 022; this JVM's own is put back
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            List<String> trace;
            try (PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
                System.setOut(capture);
                trace = InProcessTrace.of(() -> SyscallsTraceScenario.main(new String[] {dir.toString()}));
            } finally {
                System.setOut(out);
            }
            assertPinnedLines(trace, dir.toString(), printed.toString(StandardCharsets.UTF_8).lines().toList());
        } finally {
            PosixFiles.umask(umask);
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static void assertPinnedLines(List<String> lines, String d, List<String> printed) {
        String fd = printed.stream().filter(l -> l.startsWith("@FD=")).findFirst().orElseThrow().substring(4);
        for (String expected : List.of(
                "umask(022) = 022",
                "openat(AT_FDCWD, \"" + d + "/f\", O_RDWR|O_CREAT|O_EXCL, 0644) = " + fd,
                "openat(AT_FDCWD, \"" + d + "/missing\", O_RDONLY) = -1 ENOENT (No such file or directory)",
                "openat(AT_FDCWD, \"" + d + "/a\\0b\", O_RDONLY) = -1 EINVAL (Invalid argument)",
                "lseek(" + fd + ", 0, SEEK_SET) = 0",
                "lseek(" + fd + ", -1, SEEK_SET) = -1 EINVAL (Invalid argument)",
                "fstat(" + fd + ", {st_mode=S_IFREG|0644, st_size=5, ...}) = 0",
                "ftruncate(" + fd + ", 2) = 0",
                "mkdir(\"" + d + "/d\", 0755) = -1 EEXIST (File exists)",
                "chmod(\"" + d + "/d\", 0700) = 0",
                "mknodat(AT_FDCWD, \"" + d + "/p\", S_IFIFO|0600, 0) = 0",
                "dup3(" + fd + ", " + fd + ", 0) = -1 EINVAL (Invalid argument)",
                "getpgid(2147483647) = -1 ESRCH (No such process)",
                "setresuid(-1, -1, -1) = -1 EINVAL (Invalid argument)",
                "getpwnam(\"root\") = {pw_name=\"root\", pw_uid=0, pw_dir=\"/root\", ...}",
                "getpwnam(\"psock-no-such-user\") = NULL")) {
            assertTrue(lines.contains(expected), "no trace line\n  " + expected + "\nin\n" + String.join("\n", lines));
        }
        for (String prefix : List.of("prlimit64(0, RLIMIT_NOFILE, NULL, {rlim_cur=", "prlimit64(0, 999, NULL, 0x", "sysconf(_SC_CLK_TCK) = 100", "uname({sysname=\"Linux\", nodename=",
                "syscall_100000() = -1 ENOSYS (Function not implemented)", "eventfd2(0, EFD_NONBLOCK) = ", "timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC) = ",
                "timerfd_gettime(", "mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0x0) = 0x", "munmap(0x",
                "mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0x0) = -1 EINVAL (Invalid argument)",
                "memfd_create(\"m\", MFD_CLOEXEC) = ", "pipe2([", "splice(", "sendfile(", "fsync(",
                "if_indextoname(2147483647, 0x", "getifaddrs([0x", "fork() = ", "fork() = -1 EINVAL (Invalid argument)", "epoll_create(1) = ")) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(prefix)), "no trace line starting\n  " + prefix + "\nin\n" + String.join("\n", lines));
        }
        assertTrue(lines.stream().anyMatch(l -> l.matches("ioctl\\(\\d+, SIOCGIFINDEX, \\{ifr_name=\"lo\", ifr_ifindex=\\d+\\}\\) = 0")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.matches("ioctl\\(\\d+, SIOCGIFADDR, \\{ifr_name=\"lo\", ifr_addr=\\{sa_family=AF_INET, sin_port=htons\\(0\\), sin_addr=inet_addr\\(\"127.0.0.1\"\\)\\}\\}\\) = 0")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.matches("ioctl\\(\\d+, FIONREAD, \\[0\\]\\) = 0")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.matches("ioctl\\(\\d+, 0x5413, 0x[0-9a-f]+\\) = -1 EINVAL \\(Invalid argument\\)")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.matches("munmap\\(0x[0-9a-f]+, 4096\\) = -1 EINVAL \\(Invalid argument\\)")), String.join("\n", lines));
    }
}
