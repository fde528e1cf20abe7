package io.github.panamasockets.api;

import org.junit.jupiter.api.Tag;
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
    @Tag("child-jvm")
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

    /**
     * The scenario's whole trace, line by line in order: {@code <FD>} the file's descriptor,
     * {@code <D>} the directory, {@code <N>} a number that depends on the run (a descriptor, a
     * pid, a limit, a uid), {@code <P>} a pointer, {@code <*>} any text (a host name, mkstemp's letters).
     */
    static final List<String> SEQUENCE = List.of(
            "umask(022) = 022",
            "openat(AT_FDCWD, \"<D>/f\", O_RDWR|O_CREAT|O_EXCL, 0644) = <FD>",
            "openat(AT_FDCWD, \"<D>/missing\", O_RDONLY) = -1 ENOENT (No such file or directory)",
            "openat(AT_FDCWD, \"<D>/a\\0b\", O_RDONLY) = -1 EINVAL (Invalid argument)",
            "openat(AT_FDCWD, \"<D>/f\", O_WRONLY|O_APPEND|O_CLOEXEC) = <N>",
            "close(<N>) = 0",
            "openat(AT_FDCWD, \"<D>/c\", O_WRONLY|O_CREAT|O_TRUNC, 0600) = <N>",
            "close(<N>) = 0",
            "write(<FD>, \"hello\", 5) = 5",
            "lseek(<FD>, 0, SEEK_SET) = 0",
            "lseek(<FD>, -1, SEEK_SET) = -1 EINVAL (Invalid argument)",
            "fstat(<FD>, {st_mode=S_IFREG|0644, st_size=5, ...}) = 0",
            "lstat(\"<D>/missing\", <P>) = -1 ENOENT (No such file or directory)",
            "ftruncate(<FD>, 2) = 0",
            "fsync(<FD>) = 0",
            "mkdir(\"<D>/d\", 0755) = 0",
            "mkdir(\"<D>/d\", 0755) = -1 EEXIST (File exists)",
            "chmod(\"<D>/d\", 0700) = 0",
            "mknodat(AT_FDCWD, \"<D>/p\", S_IFIFO|0600, 0) = 0",
            "openat(AT_FDCWD, \"<D>/t.<*>\", O_RDWR|O_CREAT|O_EXCL, 0600) = <N>",
            "close(<N>) = 0",
            "openat(AT_FDCWD, <P>, O_RDWR|O_CREAT|O_EXCL, 0600) = -1 EFAULT (Bad address)",
            "memfd_create(\"m\", MFD_CLOEXEC) = <N>",
            "close(<N>) = 0",
            "pipe2([<N>, <N>], O_NONBLOCK) = 0",
            "dup3(<FD>, <FD>, 0) = -1 EINVAL (Invalid argument)",
            "sendfile(<N>, <FD>, [2], 2) = 2",
            "splice(<FD>, NULL, <FD>, NULL, 1, 0) = -1 EINVAL (Invalid argument)",
            "close(<N>) = 0",
            "close(<N>) = 0",
            "close(<FD>) = 0",
            "getuid() = <N>",
            "setresuid(-1, -1, -1) = -1 EINVAL (Invalid argument)",
            "getpgid(2147483647) = -1 ESRCH (No such process)",
            "getpwnam(\"root\") = {pw_name=\"root\", pw_uid=0, pw_dir=\"/root\", ...}",
            "getpwnam(\"psock-no-such-user\") = NULL",
            "prlimit64(0, RLIMIT_NOFILE, NULL, {rlim_cur=<N>, rlim_max=<N>}) = 0",
            "prlimit64(0, 999, NULL, <P>) = -1 EINVAL (Invalid argument)",
            "sysconf(_SC_CLK_TCK) = 100",
            "uname({sysname=\"Linux\", nodename=\"<*>\", ...}) = 0",
            "syscall_100000() = -1 ENOSYS (Function not implemented)",
            "epoll_create(1) = <N>",
            "close(<N>) = 0",
            "eventfd2(0, EFD_NONBLOCK) = <N>",
            "timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC) = <N>",
            "timerfd_settime(<N>, 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}, NULL) = 0",
            "timerfd_gettime(<N>, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}) = 0",
            "timerfd_gettime(<N>, <P>) = -1 EINVAL (Invalid argument)",
            "close(<N>) = 0",
            "close(<N>) = 0",
            "mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0x0) = <P>",
            "munmap(<P>, 4096) = 0",
            "munmap(<P>, 4096) = -1 EINVAL (Invalid argument)",
            "mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0x0) = -1 EINVAL (Invalid argument)",
            "socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = <N>",
            "ioctl(<N>, SIOCGIFINDEX, {ifr_name=\"lo\", ifr_ifindex=<N>}) = 0",
            "ioctl(<N>, SIOCGIFADDR, {ifr_name=\"lo\", ifr_addr={sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr(\"127.0.0.1\")}}) = 0",
            "ioctl(<N>, FIONREAD, [0]) = 0",
            "ioctl(<N>, 0x5413, <P>) = -1 EINVAL (Invalid argument)",
            "close(<N>) = 0",
            "getifaddrs([<P>]) = 0",
            "if_indextoname(2147483647, <P>) = NULL ENXIO (No such device or address)",
            "fork() = <N>",
            "wait4(<N>, NULL, 0, NULL) = <N>",
            "fork() = -1 EINVAL (Invalid argument)");

    static void assertWholeSequence(List<String> lines, String d, String fd) {
        for (int i = 0; i < Math.min(SEQUENCE.size(), lines.size()); i++) {
            String regex = java.util.regex.Pattern.quote(SEQUENCE.get(i).replace("<D>", d).replace("<FD>", fd))
                    .replace("<N>", "\\E\\d+\\Q").replace("<P>", "\\E0x[0-9a-f]+\\Q").replace("<*>", "\\E.*?\\Q");
            assertTrue(lines.get(i).matches(regex), "line " + (i + 1) + ": expected\n  " + SEQUENCE.get(i) + "\nbut was\n  " + lines.get(i) + "\nin\n" + String.join("\n", lines));
        }
        assertEquals(SEQUENCE.size(), lines.size(), "lines in\n" + String.join("\n", lines));
    }

    static void assertPinnedLines(List<String> lines, String d, List<String> printed) {
        String fd = printed.stream().filter(l -> l.startsWith("@FD=")).findFirst().orElseThrow().substring(4);
        assertWholeSequence(lines, d, fd);
    }
}
