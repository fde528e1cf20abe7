package io.github.panamasockets.api;

import io.github.panamasockets.bindings.itimerspec;
import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.rlimit;
import io.github.panamasockets.bindings.timespec;
import io.github.panamasockets.bindings.utsname;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.github.panamasockets.api.Loopback.*;
import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The process, identity and event-descriptor calls: exact values from /proc, errnos on the failure paths. */
@ExtendWith(NoLeaks.class)
class ProcessAndEventsTest {

    /** A field of /proc/self/status: "Uid:\t0\t0\t0\t0" gives its columns. */
    static String[] status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) return line.substring(field.length() + 1).trim().split("\\s+");
        }
        throw new AssertionError(field);
    }

    @Test
    void idsAreTheKernelsAndSyscallReachesTheArgumentlessOnes() throws Exception {
        String[] uid = status("Uid"), gid = status("Gid");
        assertEquals(Integer.parseInt(uid[0]), getuid());
        assertEquals(Integer.parseInt(uid[1]), geteuid());
        assertEquals(Integer.parseInt(gid[0]), getgid());
        assertEquals(Integer.parseInt(gid[1]), getegid());
        assertEquals(getuid(), syscall(SYS_getuid));
        assertEquals(getegid(), syscall(SYS_getegid));
        assertEquals(getpid(), syscall(SYS_getpid));
        assertEquals(ProcessHandle.current().parent().orElseThrow().pid(), syscall(SYS_getppid));

        int[] tid = new int[2];
        Thread t = Thread.ofPlatform().name(NoLeaks.THREAD_PREFIX + "tid").start(() -> { tid[0] = gettid(); tid[1] = (int) syscall(SYS_gettid); });
        t.join();
        assertEquals(tid[0], tid[1]);
        assertNotEquals(getpid(), tid[0], "another thread has a tid of its own");
        assertTrue(Files.isDirectory(Path.of("/proc/self/task/" + gettid())), "this thread's tid is one of the process's tasks");

        assertFails(ENOSYS, syscall(SYS_close_number()), "syscall of a call the facade does not pass");
        assertFails(ENOSYS, syscall(100000), "syscall of a number the kernel does not have");
    }

    /** close(2)'s number on x86_64: a call with an argument, which syscall() does not pass. */
    static long SYS_close_number() {
        return 3;
    }

    @Test
    void seteuidAndSetegidToTheCurrentIdsSucceedAndMinusOneIsEinval() {
        assertEquals(0, seteuid(geteuid()));
        assertEquals(0, setegid(getegid()));
        assertFails(EINVAL, seteuid(-1), "seteuid(-1)");
        assertFails(EINVAL, setegid(-1), "setegid(-1)");
    }

    @Test
    void seteuidToRootWithoutPrivilegeIsEperm() {
        assumeTrue(geteuid() != 0, "needs a non-root user: root (CAP_SETUID) may become anyone");
        assertFails(EPERM, seteuid(0), "seteuid(0) as a user");
    }

    @Test
    void processGroupsAndSessionsInAForkedChild() {
        assertEquals(getpgid(0), getpgid(getpid()));
        assertFails(ESRCH, getpgid(Integer.MAX_VALUE), "getpgid of no process");
        assertFails(EINVAL, setpgid(0, -1), "setpgid to a negative group");
        // setsid and setpgid(0, 0) would move this test JVM out of its group: a forked child does it.
        int pid = fork(() -> {
            int status = 0;
            if (setsid() != getpid()) status |= 1;                        // a new session, led by the child
            if (getpgid(0) != getpid()) status |= 2;                      // and a new group
            if (setsid() != -1 || errno() != EPERM) status |= 4;          // a group leader cannot start another
            System.exit(status);
        });
        assertTrue(pid > 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            assertEquals(pid, waitpid(pid, status, 0));
            assertEquals(0, WEXITSTATUS(status.get(ValueLayout.JAVA_INT, 0)));
        }
    }

    @Test
    void getpwnamFindsRootAndLeavesErrnoForNoSuchUser() {
        MemorySegment pw = getpwnam("root");
        assertNotEquals(MemorySegment.NULL, pw);
        assertEquals("root", pw_name(pw));
        assertEquals(0, pw_uid(pw));
        assertEquals(0, pw_gid(pw));
        assertEquals("/root", pw_dir(pw));
        errno(0);
        assertEquals(MemorySegment.NULL, getpwnam("psock-no-such-user"));
        assertEquals(0, errno(), "no such user: NULL and errno as it was");
        errno(0);
        assertEquals(MemorySegment.NULL, getpwnam(null));
        assertEquals(EFAULT, errno());
        assertEquals(MemorySegment.NULL, getpwnam("ro\0ot"));
        assertEquals(EINVAL, errno());
    }

    /** Every field of a user whose ids are not 0 (so a helper that returns 0 is seen), as /etc/passwd has them. */
    @Test
    void everyPasswdFieldOfAUserWithIdsAsEtcPasswdHasThem() throws IOException {
        String[] user = Files.readAllLines(Path.of("/etc/passwd")).stream().map(l -> l.split(":", -1))
                .filter(f -> f.length == 7 && !f[2].equals("0") && !f[3].equals("0")).findFirst().orElse(null);
        assumeTrue(user != null, "skipped: /etc/passwd has no user whose uid and gid are not 0");
        MemorySegment pw = getpwnam(user[0]);
        assertNotEquals(MemorySegment.NULL, pw, user[0]);
        assertEquals(List.of(user[0], user[1], user[2], user[3], user[4], user[5], user[6]),
                List.of(pw_name(pw), pw_passwd(pw), String.valueOf(pw_uid(pw)), String.valueOf(pw_gid(pw)), pw_gecos(pw), pw_dir(pw), pw_shell(pw)));
    }

    /** RLIMIT_NOFILE from /proc/self/limits: {soft, hard}. */
    static long[] openFiles() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                return new long[] {f[0].equals("unlimited") ? RLIM_INFINITY : Long.parseLong(f[0]), f[1].equals("unlimited") ? RLIM_INFINITY : Long.parseLong(f[1])};
            }
        }
        throw new AssertionError();
    }

    @Test
    void getrlimitSetrlimitAndSysconf() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rl = rlimit.allocate(arena);
            assertEquals(0, getrlimit(RLIMIT_NOFILE, rl));
            long[] limits = openFiles();
            assertEquals(limits[0], rlimit.rlim_cur(rl));
            assertEquals(limits[1], rlimit.rlim_max(rl));
            assertEquals(limits[0], sysconf(_SC_OPEN_MAX));
            assertEquals(0, setrlimit(RLIMIT_NOFILE, rl), "setting the limits they are");
            MemorySegment bad = rlimit.allocate(arena);
            rlimit.rlim_cur(bad, 10);
            rlimit.rlim_max(bad, 5);
            assertFails(EINVAL, setrlimit(RLIMIT_NOFILE, bad), "rlim_cur above rlim_max");
            assertFails(EINVAL, getrlimit(999, rl), "an unknown resource");
            assertFails(EFAULT, getrlimit(RLIMIT_NOFILE, arena.allocate(8)), "a short struct rlimit");
            assertFails(EFAULT, setrlimit(RLIMIT_NOFILE, MemorySegment.NULL), "setrlimit(NULL)");
        }
        assertEquals(kernelPageSize(), sysconf(_SC_PAGESIZE));
        assertEquals(100, sysconf(_SC_CLK_TCK));
        errno(0);
        assertFails(EINVAL, sysconf(-1), "sysconf of an unknown name");
    }

    /** The page size the kernel reports for this process's first mapping, in bytes. */
    static long kernelPageSize() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            if (line.startsWith("KernelPageSize:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
        throw new AssertionError("no KernelPageSize in /proc/self/smaps");
    }

    @Test
    void unameNamesTheKernelTheJvmRunsOn() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = utsname.allocate(arena);
            assertEquals(0, uname(buf));
            assertEquals("Linux", cstring(utsname.sysname(buf)));
            assertEquals(System.getProperty("os.version"), cstring(utsname.release(buf)));
            assertEquals(System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch"), cstring(utsname.machine(buf)));
            assertFails(EFAULT, uname(arena.allocate(64)), "a short struct utsname");
        }
    }

    @Test
    void epollCreateAndEventfdCount() {
        int ep = ok("epoll_create", epoll_create(1));
        close(ep);
        assertFails(EINVAL, epoll_create(0), "epoll_create(0)");

        int efd = ok("eventfd", eventfd(3, EFD_NONBLOCK));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(ValueLayout.JAVA_LONG);
            assertEquals(8, read(efd, v, 8));
            assertEquals(3, v.get(ValueLayout.JAVA_LONG, 0));
            assertFails(EAGAIN, read(efd, v, 8), "a counter at zero, non-blocking");
            v.set(ValueLayout.JAVA_LONG, 0, 5);
            assertEquals(8, write(efd, v, 8));
            assertFails(EINVAL, read(efd, v, 4), "an eventfd read of less than 8 bytes");
            assertEquals(8, read(efd, v, 8));
            assertEquals(5, v.get(ValueLayout.JAVA_LONG, 0));
        } finally {
            close(efd);
        }
        assertFails(EINVAL, eventfd(0, 0x1234), "eventfd with unknown flags");
    }

    @Test
    void timerfdExpiresAndReportsItsTime() {
        int tfd = ok("timerfd_create", timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment its = itimerspec.allocate(arena);
            timespec.tv_sec(itimerspec.it_value(its), 3600); // an hour, once: it will not expire during the test
            MemorySegment old = itimerspec.allocate(arena);
            assertEquals(0, timerfd_settime(tfd, 0, its, old));
            assertEquals(0, timespec.tv_sec(itimerspec.it_value(old)), "it was disarmed");
            assertEquals(0, timespec.tv_nsec(itimerspec.it_value(old)));
            MemorySegment count = arena.allocate(ValueLayout.JAVA_LONG);
            assertFails(EAGAIN, read(tfd, count, 8), "read before it expires");
            MemorySegment left = itimerspec.allocate(arena);
            assertEquals(0, timerfd_gettime(tfd, left));
            long sec = timespec.tv_sec(itimerspec.it_value(left));
            assertTrue(sec >= 3500 && sec < 3600, "time left: " + sec + " s");
            timespec.tv_sec(itimerspec.it_value(its), 0);
            timespec.tv_nsec(itimerspec.it_value(its), 1); // now: expires at once
            assertEquals(0, timerfd_settime(tfd, 0, its, MemorySegment.NULL));
            MemorySegment pfd = pollfd.allocate(arena);
            pollfd.fd(pfd, tfd);
            pollfd.events(pfd, (short) POLLIN);
            assertEquals(1, poll(pfd, 1, 5000));
            assertEquals(8, read(tfd, count, 8));
            assertEquals(1, count.get(ValueLayout.JAVA_LONG, 0), "one expiration");
            MemorySegment now = itimerspec.allocate(arena);
            assertEquals(0, timerfd_gettime(tfd, now));
            assertEquals(0, timespec.tv_sec(itimerspec.it_value(now)), "expired and not periodic: disarmed");
            assertEquals(0, timespec.tv_nsec(itimerspec.it_value(now)));

            timespec.tv_nsec(itimerspec.it_value(its), 1_000_000_000);
            assertFails(EINVAL, timerfd_settime(tfd, 0, its, MemorySegment.NULL), "tv_nsec of a whole second");
            assertFails(EFAULT, timerfd_settime(tfd, 0, arena.allocate(16), MemorySegment.NULL), "a short new_value");
            assertFails(EFAULT, timerfd_gettime(tfd, arena.allocate(16)), "a short curr_value");
            int efd = ok("eventfd", eventfd(0, 0));
            assertFails(EINVAL, timerfd_gettime(efd, now), "timerfd_gettime of an eventfd");
            close(efd);
        } finally {
            close(tfd);
        }
        assertFails(EINVAL, timerfd_create(12345, 0), "an unknown clock");
    }
}
