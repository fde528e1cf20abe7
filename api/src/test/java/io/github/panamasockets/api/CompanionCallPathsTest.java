package io.github.panamasockets.api;

import io.github.panamasockets.bindings.addrinfo;
import io.github.panamasockets.bindings.ifreq;
import io.github.panamasockets.bindings.in6_addr;
import io.github.panamasockets.bindings.itimerspec;
import io.github.panamasockets.bindings.mmsghdr;
import io.github.panamasockets.bindings.sockaddr;
import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.sockaddr_in6;
import io.github.panamasockets.bindings.sockaddr_ll;
import io.github.panamasockets.bindings.timespec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.github.panamasockets.api.Loopback.*;
import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exact values on the paths of the companion classes (Fork, PosixProcess, PosixInterfaces,
 * PosixMemoryMap, PosixEvents, PosixFiles, PosixStructs) that no other test pinned: PIT's second
 * run of them let a changed line through at each of these places (the README's "Mutation testing").
 */
@ExtendWith(NoLeaks.class)
class CompanionCallPathsTest {

    // ---- errno: what a call that succeeds leaves, whatever the C errno of the thread was -------

    /**
     * A call that succeeds leaves errno as the program set it, even when the thread's C errno
     * holds something else (here EBADF, a value the calls below never produce): a call that took
     * the captured errno on success would show EBADF.
     */
    @Test
    void aCallThatSucceedsLeavesErrnoAsSetWhateverCsErrnoHolds() {
        RealErrno.set(EBADF);
        errno(EDOM);
        assertEquals(getpid(), syscall(SYS_getpid));
        assertErrno(EDOM, "after syscall(SYS_getpid)");

        MemorySegment m = mmap(MemorySegment.NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        assertNotEquals(MAP_FAILED, m);
        RealErrno.set(EBADF);
        errno(EDOM);
        assertEquals(0, munmap(m, 4096));
        assertErrno(EDOM, "after a munmap that succeeded");
    }

    /**
     * NULL with errno unchanged means no such user (and -1 with errno unchanged, a limit that has
     * none): the facade hands glibc the program's errno, as C's {@code errno = 0;} before the call
     * would, not whatever an earlier call left in the thread's C errno.
     */
    @Test
    void noSuchUserAndNoLimitLeaveTheProgramsErrnoNotTheThreadsLastOne() {
        RealErrno.set(EBADF);
        errno(0);
        assertEquals(MemorySegment.NULL, getpwnam("psock-no-such-user"));
        assertErrno(0, "getpwnam of no such user");

        RealErrno.set(EBADF);
        errno(0);
        assertEquals(-1, sysconf(_SC_2_PBS), "_SC_2_PBS: no such option in glibc, -1 without an error");
        assertErrno(0, "sysconf of an option glibc does not have");
    }

    // ---- PosixFiles, PosixEvents, PosixInterfaces, PosixStructs -------------------------------

    @Test
    void fsyncOfNoDescriptorAndOfAPipeFails() {
        assertFails(EBADF, fsync(closedFd()), "fsync of a closed descriptor");
        int[] p = pipe();
        try {
            assertFails(EINVAL, fsync(p[1]), "fsync of a pipe");
        } finally {
            closeAll(p[0], p[1]);
        }
    }

    /** timerfd_settime's old_value is decoded only when the call succeeded (the kernel wrote it); a failed call shows its address. */
    @Test
    void timerfdSettimesTraceShowsTheOldValueOnlyWhenTheCallWroteIt() {
        int tfd = ok("timerfd_create", timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment its = itimerspec.allocate(arena);
            timespec.tv_sec(itimerspec.it_value(its), 3600);
            MemorySegment old = itimerspec.allocate(arena);
            List<String> trace = InProcessTrace.of(() -> {
                assertEquals(0, timerfd_settime(tfd, 0, its, old));
                assertEquals(0, timerfd_settime(tfd, 0, its, old)); // now old holds the hour, less what passed
                timespec.tv_nsec(itimerspec.it_value(its), 1_000_000_000);
                assertEquals(-1, timerfd_settime(tfd, 0, its, old));
            });
            long leftSec = timespec.tv_sec(itimerspec.it_value(old)), leftNsec = timespec.tv_nsec(itimerspec.it_value(old));
            assertTrue(leftSec >= 3500 && leftSec < 3600, "left: " + leftSec);
            String hour = "{it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=3600, tv_nsec=0}}";
            assertEquals(List.of(
                    "timerfd_settime(" + tfd + ", 0, " + hour + ", {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}) = 0",
                    "timerfd_settime(" + tfd + ", 0, " + hour + ", {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=" + leftSec + ", tv_nsec=" + leftNsec + "}}) = 0",
                    "timerfd_settime(" + tfd + ", 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=3600, tv_nsec=1000000000}}, 0x"
                            + Long.toHexString(old.address()) + ") = -1 EINVAL (Invalid argument)"), trace);
        } finally {
            close(tfd);
        }
    }

    @Test
    void ifrNameRefusesANameThatStartsWithANul() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifr = ifreq.allocate(arena);
            ifr.fill((byte) 'x');
            assertFails(EINVAL, ifr_name(ifr, "\0lo"), "ifr_name of a name whose first byte is a NUL");
            assertEquals(-1, ifr.mismatch(arena.allocate(ifreq.sizeof()).fill((byte) 'x')), "nothing written");
            assertEquals(0, ifr_name(ifr, "lo"));
            assertEquals("lo", ifr_name(ifr));
        }
    }

    /** recvmmsg's array must hold vlen struct mmsghdr: one struct for vlen 2 is refused before the call (the descriptor is not even looked at). */
    @Test
    void recvmmsgRefusesAnArrayShorterThanVlenBeforeTheCall() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = mmsghdr.allocate(arena);
            assertFails(EFAULT, recvmmsg(closedFd(), one, 2, MSG_DONTWAIT, MemorySegment.NULL), "recvmmsg of vlen 2 into one mmsghdr");
            assertFails(EBADF, recvmmsg(closedFd(), one, 1, MSG_DONTWAIT, MemorySegment.NULL), "recvmmsg of vlen 1 into one mmsghdr, on no descriptor");
            assertFails(EFAULT, sendmmsg(closedFd(), one, 2, 0), "sendmmsg of vlen 2 from one mmsghdr");
        }
    }

    /**
     * Each address getifaddrs gives is a segment of its family's struct: sockaddr_in6 (28 bytes),
     * sockaddr_in (16), sockaddr_ll (20: AF_PACKET, a link's hardware address), else a sockaddr
     * (16); lo's link address reads whole: its index, and a 6-byte hardware address of zeros.
     */
    @Test
    void getifaddrsAddressesAreSegmentsOfTheirFamilysSize() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifap = arena.allocate(ValueLayout.ADDRESS);
            assertEquals(0, getifaddrs(ifap));
            MemorySegment head = ifap.get(ValueLayout.ADDRESS, 0);
            Set<Integer> families = new HashSet<>();
            try {
                for (MemorySegment ifa = head; !ifa.equals(MemorySegment.NULL); ifa = ifa_next(ifa)) {
                    for (MemorySegment sa : List.of(ifa_addr(ifa), ifa_netmask(ifa))) {
                        if (sa.equals(MemorySegment.NULL)) continue;
                        int family = Short.toUnsignedInt(sa.get(ValueLayout.JAVA_SHORT_UNALIGNED, 0));
                        families.add(family);
                        long size = family == AF_INET6 ? sockaddr_in6.sizeof() : family == AF_INET ? sockaddr_in.sizeof()
                                : family == AF_PACKET ? sockaddr_ll.sizeof() : sockaddr.sizeof();
                        assertEquals(size, sa.byteSize(), ifa_name(ifa) + " family " + family);
                    }
                    MemorySegment link = ifa_addr(ifa);
                    if (ifa_name(ifa).equals("lo") && !link.equals(MemorySegment.NULL) && sa_family(link) == AF_PACKET) {
                        assertEquals(if_nametoindex("lo"), sockaddr_ll.sll_ifindex(link), "lo's sll_ifindex");
                        assertEquals(6, sockaddr_ll.sll_halen(link), "lo's sll_halen");
                        assertEquals(0L, sockaddr_ll.sll_addr(link).get(ValueLayout.JAVA_LONG_UNALIGNED, 0), "lo's sll_addr, all 8 bytes");
                    }
                }
            } finally {
                freeifaddrs(head);
            }
            assertTrue(families.contains(AF_INET), "lo has 127.0.0.1: " + families);
            assertTrue(families.contains(AF_PACKET), "every link has an AF_PACKET address: " + families);
            assertEquals(20, sockaddr_ll.sizeof());
            assertEquals(28, sockaddr_in6.sizeof());
            assertEquals(16, sockaddr_in.sizeof());
        }
    }

    /**
     * freeifaddrs gives the list back to glibc: the next getifaddrs of the same size reuses the
     * memory (malloc's caches), so a few addresses serve 200 lists. A list never freed keeps its
     * memory, and 200 lists alive at once have 200 addresses.
     */
    @Test
    void freeifaddrsFreesTheListSoTheNextOneReusesItsMemory() {
        Set<Long> heads = new HashSet<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifap = arena.allocate(ValueLayout.ADDRESS);
            for (int i = 0; i < 200; i++) {
                assertEquals(0, getifaddrs(ifap));
                MemorySegment head = ifap.get(ValueLayout.ADDRESS, 0);
                heads.add(head.address());
                freeifaddrs(head);
            }
        }
        assertTrue(heads.size() < 100, heads.size() + " addresses for 200 lists, each freed before the next");
    }

    @Test
    void in6AreAddrEqualTellsAddressesApart() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(in6_addr.sizeof()), b = arena.allocate(in6_addr.sizeof());
            a.set(ValueLayout.JAVA_BYTE, 15, (byte) 1);
            b.set(ValueLayout.JAVA_BYTE, 15, (byte) 1);
            assertTrue(IN6_ARE_ADDR_EQUAL(a, b));
            b.set(ValueLayout.JAVA_BYTE, 0, (byte) 0xfe);
            assertFalse(IN6_ARE_ADDR_EQUAL(a, b), "::1 and fe00::1");
            assertFalse(IN6_ARE_ADDR_EQUAL(a, arena.allocate(in6_addr.sizeof())), "::1 and ::");
        }
    }

    /** A numeric host with no socket type: one entry for each of SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, in glibc's order, and NULL after the last. */
    @Test
    void aiNextWalksEveryEntry() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment hints = addrinfo.allocate(arena);
            ai_family(hints, AF_INET);
            ai_flags(hints, AI_NUMERICHOST);
            MemorySegment res = arena.allocate(ValueLayout.ADDRESS);
            assertEquals(0, getaddrinfo("127.0.0.1", null, hints, res));
            MemorySegment first = res.get(ValueLayout.ADDRESS, 0);
            List<Integer> types = new ArrayList<>();
            MemorySegment last = MemorySegment.NULL;
            for (MemorySegment ai = first; !ai.equals(MemorySegment.NULL); ai = ai_next(ai)) {
                types.add(ai_socktype(ai));
                if (ai != first) assertEquals(addrinfo.sizeof(), ai.byteSize(), "ai_next: a segment of one struct addrinfo");
                last = ai;
            }
            assertEquals(List.of(SOCK_STREAM, SOCK_DGRAM, SOCK_RAW), types);
            assertEquals(0, ai_next(last).byteSize(), "NULL after the last");
            freeaddrinfo(first);
        }
    }

    // ---- Fork: the block's form, the command line, the JVM's own descriptors -----------------

    /** A lambda travels as its SerializedLambda's fields ('L' after the magic), never through Java serialization of the whole block. */
    @Test
    void aLambdaTravelsAsItsFieldsNotAsASerializedObject() throws Exception {
        int n = 5;
        byte[] block = Fork.serialize(() -> System.exit(n));
        assertEquals(List.of((byte) 0x50, (byte) 0x53, (byte) 0x4b, (byte) 0x31, (byte) 'L'),
                List.of(block[0], block[1], block[2], block[3], block[4]), "\"PSK1\" then L");
    }

    /** A block of a class of its own whose writeObject counts its calls: serialize runs it once (it is no lambda to look into). */
    static final class CountedBlock implements ForkBlock {
        static int written;

        @Override
        public void run() {}

        @java.io.Serial
        private void writeObject(ObjectOutputStream out) throws IOException {
            written++;
            out.defaultWriteObject();
        }
    }

    @Test
    void aBlockOfAClassOfItsOwnIsSerializedOnce() {
        CountedBlock.written = 0;
        byte[] block = Fork.serialize(new CountedBlock());
        assertEquals('O', block[4]);
        assertEquals(1, CountedBlock.written, "writeObject runs once");
    }

    /** A block whose Base64 text is exactly one piece long travels as that one piece, with no empty piece after it. */
    @Test
    void aBlockOfExactlyOnePieceIsOneArgument() {
        byte[] block = new byte[Fork.PIECE / 4 * 3]; // Base64 of 75,000 bytes: 100,000 characters
        List<String> argv = Fork.command(block);
        int main = argv.indexOf(ForkChild.class.getName());
        assertEquals(List.of(java.util.Base64.getEncoder().encodeToString(block)), argv.subList(main + 1, argv.size()));
        assertEquals(Fork.PIECE, argv.get(main + 1).length());
    }

    /** The class and module path's files, as real paths: what jvmOwn compares a descriptor's target with. */
    @Test
    void jvmPathsAreTheClassPathsEntriesAsRealPaths() throws IOException {
        Set<String> expected = new HashSet<>();
        for (String key : List.of("java.class.path", "jdk.module.path")) {
            for (String entry : System.getProperty(key, "").split(File.pathSeparator)) {
                if (entry.isEmpty()) continue;
                Path p = Path.of(entry);
                expected.add(Files.exists(p) ? p.toRealPath().toString() : p.toAbsolutePath().normalize().toString());
            }
        }
        assertFalse(expected.isEmpty());
        assertEquals(expected, Fork.jvmPaths());
    }

    /** target() is what /proc/self/fd says, or null for no descriptor. */
    @Test
    void targetIsTheDescriptorsPathOrNull() throws IOException {
        Path file = Files.createTempFile("psock-test-target", ".txt");
        int fd = ok("open", open(file.toString(), O_RDONLY));
        try {
            assertEquals(file.toRealPath().toString(), Fork.target(fd));
        } finally {
            close(fd);
            Files.delete(file);
        }
        assertNull(Fork.target(-1), "no descriptor -1");
        assertNull(Fork.target(Integer.MAX_VALUE), "no descriptor that high");
    }

    /**
     * keepJvmFilesFromChildren marks close-on-exec a descriptor whose target is the JVM's kind (a
     * jar) and leaves the caller's others as they were: here a .jar and a .txt opened without
     * O_CLOEXEC (the JDK opens its own with it already, so only such a file shows the marking).
     */
    @Test
    void keepJvmFilesFromChildrenMarksAJarCloseOnExecAndLeavesOtherFiles() throws IOException {
        Path jar = Files.createTempFile("psock-test-own", ".jar"), text = Files.createTempFile("psock-test-caller", ".txt");
        int jarFd = ok("open", open(jar.toString(), O_RDONLY)), textFd = ok("open", open(text.toString(), O_RDONLY));
        try {
            assertEquals(0, fcntl(jarFd, F_GETFD));
            assertEquals(0, fcntl(textFd, F_GETFD));
            Fork.keepJvmFilesFromChildren();
            assertEquals(FD_CLOEXEC, fcntl(jarFd, F_GETFD), "the jar: close-on-exec");
            assertEquals(0, fcntl(textFd, F_GETFD), "the caller's file: as it was");
        } finally {
            closeAll(jarFd, textFd);
            Files.delete(jar);
            Files.delete(text);
        }
    }

    /**
     * What the caller printed is flushed before the child starts, as a C program's stdio buffers
     * must be before fork: a System.out and a System.err that buffer hold nothing once fork returns.
     */
    @Test
    void forkFlushesSystemOutAndSystemErrBeforeTheChildStarts() {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream(), errBytes = new ByteArrayOutputStream();
        int pid;
        try {
            System.setOut(new PrintStream(new BufferedOutputStream(outBytes, 1024), false, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new BufferedOutputStream(errBytes, 1024), false, StandardCharsets.UTF_8));
            System.out.print("printed before fork");
            System.err.print("and on stderr");
            assertEquals(0, outBytes.size() + errBytes.size(), "buffered: nothing written yet");
            pid = fork(() -> { });
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertTrue(pid > 0, "fork: " + pid + " " + strerrorname(errno()));
        int status = ForkTest.waitFor(pid);
        assertEquals(0, WEXITSTATUS(status));
        assertEquals("printed before fork", outBytes.toString(StandardCharsets.UTF_8));
        assertEquals("and on stderr", errBytes.toString(StandardCharsets.UTF_8));
    }

    // ---- the ids, where they are not 0 even for root --------------------------------------------

    /** glibc's setreuid or setregid (the facade has only seteuid and setegid): 0, or -1 with errno. */
    private static int setre(String call, int real) {
        try {
            java.lang.foreign.Linker linker = java.lang.foreign.Linker.nativeLinker();
            return (int) linker.downcallHandle(linker.defaultLookup().find(call).orElseThrow(),
                    java.lang.foreign.FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT)).invokeExact(real, -1);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Each id call returns the id the kernel holds, also where it is not 0: as root, the real and
     * effective ids are moved to nobody's (65534) and back for the length of one call each (an
     * ordinary user's ids are not 0 already: idsAreTheKernelsAndSyscallReachesTheArgumentlessOnes
     * covers them). With the real id moved, the effective one stays 0, so the JVM's other threads
     * keep their access; only while the effective id is 65534 is the process unprivileged.
     */
    @Test
    void theIdCallsReturnTheIdsAfterRootMovesThemToNobody() {
        Privilege.CAP_SETUID.assumeHeld("moving the real and effective user ids to nobody and back");
        Privilege.CAP_SETGID.assumeHeld("moving the real and effective group ids to nobody and back");
        org.junit.jupiter.api.Assumptions.assumeTrue(getuid() == 0 && getgid() == 0, "needs root's ids (0) to move them to nobody's and back");
        int nobody = 65534;
        int[] got = new int[4];
        assertEquals(0, setre("setregid", nobody));
        try {
            got[0] = getgid();
            assertEquals(0, setegid(nobody));
            try {
                got[1] = getegid();
            } finally {
                assertEquals(0, setegid(0));
            }
        } finally {
            assertEquals(0, setre("setregid", 0));
        }
        assertEquals(0, setre("setreuid", nobody));
        try {
            got[2] = getuid();
            assertEquals(0, seteuid(nobody));
            try {
                got[3] = geteuid();
            } finally {
                assertEquals(0, seteuid(0)); // allowed: the saved id is still 0
            }
        } finally {
            assertEquals(0, setre("setreuid", 0));
        }
        assertEquals(List.of(nobody, nobody, nobody, nobody), List.of(got[0], got[1], got[2], got[3]), "getgid, getegid, getuid, geteuid");
        assertEquals(List.of(0, 0, 0, 0), List.of(getgid(), getegid(), getuid(), geteuid()), "all back to root's");
    }

    // ---- more trace lines, pinned in this JVM ---------------------------------------------------

    /** PosixProcess's own gettid (Posix.gettid is PosixSignals', untraced): the thread's id, traced. */
    @Test
    void posixProcessGettidIsTheThreadsIdAndTraced() {
        int[] got = new int[1];
        List<String> trace = InProcessTrace.of(() -> got[0] = PosixProcess.gettid());
        assertEquals(syscall(SYS_gettid), got[0]);
        assertEquals(List.of("gettid() = " + got[0]), trace);
    }

    @Test
    void setrlimitSysconfAndIoctlTraceLines() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rl = io.github.panamasockets.bindings.rlimit.allocate(arena);
            assertEquals(0, getrlimit(RLIMIT_NOFILE, rl));
            long cur = io.github.panamasockets.bindings.rlimit.rlim_cur(rl), max = io.github.panamasockets.bindings.rlimit.rlim_max(rl);
            MemorySegment n = arena.allocate(ValueLayout.JAVA_INT);
            int closed = closedFd();
            long[] got = new long[5];
            List<String> trace = InProcessTrace.of(() -> {
                got[0] = setrlimit(RLIMIT_NOFILE, rl);
                errno(EDOM);
                got[1] = sysconf(_SC_CLK_TCK);      // succeeds with errno set before: the value alone
                errno(0);
                got[2] = sysconf(_SC_2_PBS);        // -1, errno unchanged: no limit, no error
                got[3] = sysconf(-1);               // -1 EINVAL
                got[4] = ioctl(closed, FIONREAD, n); // failed: the int is not shown
            });
            assertEquals(List.of(0L, 100L, -1L, -1L, -1L), List.of(got[0], got[1], got[2], got[3], got[4]));
            assertEquals(List.of(
                    "prlimit64(0, RLIMIT_NOFILE, {rlim_cur=" + (cur == RLIM_INFINITY ? "RLIM64_INFINITY" : cur) + ", rlim_max="
                            + (max == RLIM_INFINITY ? "RLIM64_INFINITY" : max) + "}, NULL) = 0",
                    "sysconf(_SC_CLK_TCK) = 100",
                    "sysconf(_SC_2_PBS) = -1",
                    "sysconf(-1) = -1 EINVAL (Invalid argument)",
                    "ioctl(" + closed + ", FIONREAD, 0x" + Long.toHexString(n.address()) + ") = -1 EBADF (Bad file descriptor)"), trace);
        }
    }

    /**
     * setsid in a process that leads its group fails with EPERM (PIT runs its test JVMs so, each
     * in a session of its own); a JVM that does not lead one would become a new session, which
     * only a forked child may (processGroupsAndSessionsInAForkedChild).
     */
    @Test
    void setsidOfAGroupLeaderIsEperm() {
        org.junit.jupiter.api.Assumptions.assumeTrue(getpgid(0) == getpid(),
                "this JVM does not lead its process group, and setsid would move it into a session of its own");
        int[] got = new int[1];
        List<String> trace = InProcessTrace.of(() -> got[0] = setsid());
        assertFails(EPERM, got[0], "setsid of a group leader");
        assertEquals(List.of("setsid() = -1 EPERM (Operation not permitted)"), trace);
    }

    /** mmap's mapping type as strace names it, also MAP_SHARED_VALIDATE and a type that is none of them. */
    @Test
    void mmapsTraceNamesEveryMappingType() {
        int fd = ok("memfd_create", memfd_create("psock-map-types", 0));
        try {
            assertEquals(0, ftruncate(fd, 4096));
            MemorySegment[] m = new MemorySegment[2];
            List<String> trace = InProcessTrace.of(() -> {
                m[0] = mmap(MemorySegment.NULL, 4096, PROT_READ, MAP_SHARED_VALIDATE, fd, 0);
                m[1] = mmap(MemorySegment.NULL, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0);
            });
            assertNotEquals(MAP_FAILED, m[0]);
            assertEquals(MAP_FAILED, m[1]);
            assertEquals(0, munmap(m[0], 4096));
            assertEquals(List.of("mmap(NULL, 4096, PROT_READ, MAP_SHARED_VALIDATE, " + fd + ", 0x0) = 0x" + Long.toHexString(m[0].address()),
                    "mmap(NULL, 4096, PROT_READ, 0|MAP_ANONYMOUS, -1, 0x0) = -1 EINVAL (Invalid argument)"), trace);
        } finally {
            close(fd);
        }
    }

    /** A refused timerfd_settime: a new_value too short to decode is shown as its address. */
    @Test
    void aShortItimerspecIsTracedAsItsAddress() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment shortOne = arena.allocate(16);
            int[] got = new int[1];
            List<String> trace = InProcessTrace.of(() -> got[0] = timerfd_settime(-1, 0, shortOne, MemorySegment.NULL));
            assertFails(EFAULT, got[0], "timerfd_settime of a 16-byte new_value");
            assertEquals(List.of("timerfd_settime(-1, 0, 0x" + Long.toHexString(shortOne.address()) + ", NULL) = -1 EFAULT (Bad address)"), trace);
        }
    }

    /** openFlags of an access mode that is none of O_RDONLY, O_WRONLY, O_RDWR (3): the number, then the other flags. */
    @Test
    void openFlagsOfTheFourthAccessMode() {
        assertEquals("3", PosixFiles.openFlags(3));
        assertEquals("3|O_CREAT", PosixFiles.openFlags(3 | O_CREAT));
        assertEquals("O_RDWR|O_CREAT", PosixFiles.openFlags(O_RDWR | O_CREAT));
    }

    /** statResult of a st_mode whose file type has no S_IF name: the type in octal, then the permissions. */
    @Test
    void statResultOfAnUnnamedFileType() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = io.github.panamasockets.bindings.stat.allocate(arena);
            st.set(ValueLayout.JAVA_INT, io.github.panamasockets.bindings.stat.st_mode$offset(), 030644);
            st.set(ValueLayout.JAVA_LONG, io.github.panamasockets.bindings.stat.st_size$offset(), 5);
            assertEquals("{st_mode=030000|0644, st_size=5, ...}", PosixFiles.statResult(0, st));
            st.set(ValueLayout.JAVA_INT, io.github.panamasockets.bindings.stat.st_mode$offset(), S_IFREG | 0600);
            assertEquals("{st_mode=S_IFREG|0600, st_size=5, ...}", PosixFiles.statResult(0, st));
        }
    }

    @Test
    void msgNameAndMsgControlRoundTrip() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment msg = io.github.panamasockets.bindings.msghdr.allocate(arena);
            MemorySegment name = arena.allocate(16), control = arena.allocate(32);
            msg_name(msg, name);
            msg_control(msg, control);
            assertEquals(name.address(), msg_name(msg).address());
            assertEquals(control.address(), msg_control(msg).address());
            assertEquals(name.address(), msg.get(ValueLayout.ADDRESS, io.github.panamasockets.bindings.msghdr.msg_name$offset()).address());
        }
    }

    // ---- munmap of a mapping a call on another thread is using ---------------------------------

    /** read(2)'s system call number, for /proc/self/task/TID/syscall. */
    private static final String SYS_READ = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> "0";
        case "aarch64" -> "63";
        default -> throw new IllegalStateException("read's number on " + System.getProperty("os.arch"));
    };

    /**
     * A mapping whose segment a read on another thread is using (blocked on an empty pipe) is not
     * unmapped: EINVAL, and it stays munmap's to remove once the read has returned.
     */
    @Test
    void munmapOfAMappingInUseByAnotherThreadIsEinvalAndLaterSucceeds() throws Exception {
        MemorySegment m = mmap(MemorySegment.NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        assertNotEquals(MAP_FAILED, m);
        int[] p = pipe();
        long[] got = new long[2];
        Thread reader = Thread.ofPlatform().name(NoLeaks.THREAD_PREFIX + "mapped-read").start(() -> {
            got[1] = gettid();
            got[0] = read(p[0], m, 4096);
        });
        try {
            while (got[1] == 0) Thread.onSpinWait();
            Path syscall = Path.of("/proc/self/task/" + got[1] + "/syscall");
            long deadline = System.nanoTime() + 60_000_000_000L; // only so that a broken read cannot hang the build
            while (!Files.readString(syscall).startsWith(SYS_READ + " ")) {
                assertTrue(System.nanoTime() < deadline, "the reader never blocked in read: " + Files.readString(syscall));
                Thread.onSpinWait();
            }
            assertFails(EINVAL, munmap(m, 4096), "munmap while a read on another thread uses the mapping");
            try (Arena arena = Arena.ofConfined()) {
                assertEquals(3, write(p[1], arena.allocateFrom("abc"), 3));
            }
            reader.join();
            assertEquals(3, got[0]);
            assertEquals("abc", m.getString(0));
            assertEquals(0, munmap(m, 4096), "the read returned: munmap removes it");
        } finally {
            if (reader.isAlive()) {
                try (Arena arena = Arena.ofConfined()) {
                    write(p[1], arena.allocateFrom("x"), 1);
                }
                reader.join();
            }
            closeAll(p[0], p[1]);
        }
    }

    /** fork's child counts as a second task of the trace: the parent's lines carry [pid N] until waitpid reaps it. */
    @Test
    void aForkedChildMarksTheParentsLinesUntilReaped() {
        TraceTasks.Mode before = TraceTasks.mode;
        TraceTasks.mode = TraceTasks.Mode.AUTO;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            int[] got = new int[3];
            List<String> trace = InProcessTrace.of(() -> {
                got[0] = fork(() -> { });
                got[1] = getuid();
                got[2] = waitpid(got[0], status, 0);
                getuid();
            });
            assertTrue(got[0] > 0, "fork: " + got[0]);
            assertEquals(got[0], got[2]);
            assertEquals(4, trace.size(), trace.toString());
            assertEquals("fork() = " + got[0], trace.get(0));
            assertEquals(String.format("[pid %5d] ", ProcessHandle.current().pid()) + "getuid() = " + got[1], trace.get(1));
            assertEquals("getuid() = " + got[1], trace.get(3));
        } finally {
            TraceTasks.mode = before;
            TraceTasks.reset();
        }
    }

    /**
     * After a getpwnam that finds no one, errno is what C's is after the same call with errno set
     * the same way before it (glibc here clears it to 0 itself; another may leave it as set): the
     * C program is the reference. The thread's C errno holds EBADF first, as an earlier call may leave it.
     */
    @Test
    void getpwnamOfNoSuchUserLeavesErrnoAsCsDoes(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Child.haveCc(), "cc is not installed: cannot build the C reference");
        Child.Result c = Child.ccOutput(dir, "getpwnam_errno", List.of("-std=gnu11", "-O0"), """
                #include <errno.h>
                #include <pwd.h>
                #include <stdio.h>
                int main(void) {
                    int before[] = {0, EDOM};
                    for (int i = 0; i < 2; i++) {
                        errno = before[i];
                        struct passwd *pw = getpwnam("psock-no-such-user");
                        printf("%s %d\\n", pw == NULL ? "NULL" : "found", errno);
                    }
                    return 0;
                }
                """, 30);
        StringBuilder java = new StringBuilder();
        for (int before : new int[] {0, EDOM}) {
            RealErrno.set(EBADF);
            errno(before);
            MemorySegment pw = getpwnam("psock-no-such-user");
            java.append(pw.equals(MemorySegment.NULL) ? "NULL" : "found").append(' ').append(errno()).append('\n');
        }
        assertEquals(c.stdout(), java.toString());
    }
}
