package io.github.panamasockets.api;

import io.github.panamasockets.bindings.addrinfo;
import io.github.panamasockets.bindings.iovec;
import io.github.panamasockets.bindings.msghdr;
import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.sockets_h;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.github.panamasockets.api.Loopback.*;
import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every call the facade traces has at least one trace line pinned whole: in {@link TraceScenario}
 * (a child JVM, checked against strace of the same program in C), or here and in
 * {@link ObservableArgumentsTest}, in this JVM. The first test reads the facade's sources for the
 * calls it traces, so a new traced call without a pinned line fails it.
 */
@ExtendWith(NoLeaks.class)
class EveryTracedCallIsPinnedTest {

    static final Path API = Path.of(System.getProperty("psock.root", ".."), "api/src");
    /** The files whose string literals are whole pinned trace lines. */
    static final List<String> PIN_FILES = List.of("TraceScenario.java", "ObservableArgumentsTest.java", "EveryTracedCallIsPinnedTest.java",
            "SyscallsTraceTest.java", "SignalsTest.java", "TraceOptionValuesTest.java", "CLibrarySafetyTest.java",
            "SignalsInProcessTest.java");

    /**
     * Traced calls with no whole line pinned, and why: each would block this JVM or change the
     * whole process (SignalsTest runs them in child JVMs and checks what they do, not their line).
     */
    static final java.util.Map<String, String> NOT_PINNED = java.util.Map.of(
            "setsid", "succeeds when the caller leads no process group: the test JVM would leave its session");

    static final Pattern TRACED = Pattern.compile("Trace\\.log(?:WithOutput|Library|Flags)?\\(\"(\\w+)\"|LOG\\.debug\\(\"(\\w+)\\(");
    static final Pattern PINNED = Pattern.compile("(?:same|differs|List\\.of|\\n|,)\\s*\\(?\\s*\"~?(\\w+)\\(");

    static Set<String> matches(Pattern p, String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = p.matcher(text);
        while (m.find()) names.add(m.group(1) != null ? m.group(1) : m.group(2));
        return names;
    }

    @Test
    void everyTracedCallHasAPinnedLine() throws IOException {
        Set<String> traced = new TreeSet<>();
        try (var files = Files.list(API.resolve("main/java/io/github/panamasockets/api"))) {
            for (Path f : (Iterable<Path>) files::iterator) traced.addAll(matches(TRACED, Files.readString(f)));
        }
        assertTrue(traced.containsAll(List.of("socket", "accept4", "sendto", "if_nametoindex", "mkdtemp", "getaddrinfo", "posix_spawn")),
                "the scan finds the traced calls: " + traced);
        Set<String> pinned = new TreeSet<>();
        for (String f : PIN_FILES) pinned.addAll(matches(PINNED, Files.readString(API.resolve("test/java/io/github/panamasockets/api").resolve(f))));
        Set<String> missing = new TreeSet<>(traced);
        missing.removeAll(pinned);
        missing.removeAll(NOT_PINNED.keySet());
        assertEquals(Set.of(), missing, "traced calls with no pinned trace line");
    }

    @Test
    void dupDup2AndGetpeername() {
        int[] tcp = tcpPair();
        int[] fds = new int[2];
        try (Arena arena = Arena.ofConfined()) {
            int clientPort = port(tcp[0]), serverPort = port(tcp[1]);
            int unused = closedFd();
            MemorySegment peer = arena.allocate(sockaddr_in.layout());
            MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, (int) sockaddr_in.sizeof());
            List<String> trace = InProcessTrace.of(() -> {
                fds[0] = dup(tcp[0]);
                fds[1] = dup2(tcp[0], unused);
                getpeername(fds[0], peer, len);
            });
            assertEquals(unused, fds[1]);
            assertEquals(serverPort, ntohs(sin_port(peer)), "the dup'ed socket's peer is the server side");
            assertEquals(List.of("dup(" + tcp[0] + ") = " + fds[0], "dup2(" + tcp[0] + ", " + unused + ") = " + unused,
                    "getpeername(" + fds[0] + ", " + ObservableArgumentsTest.lo(serverPort) + ", [16]) = 0"), trace);
            assertTrue(clientPort != serverPort);
        } finally {
            closeAll(fds[0], fds[1], tcp[0], tcp[1]);
        }
    }

    @Test
    void readvWritevSendmsgRecvmsg() {
        int[] sv = Loopback.socketpair(SOCK_STREAM);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocateFrom("ab");
            MemorySegment iov = arena.allocate(iovec.layout());
            iovec.iov_base(iov, data);
            iovec.iov_len(iov, 2);
            MemorySegment msg = arena.allocate(msghdr.layout());
            msghdr.msg_iov(msg, iov);
            msghdr.msg_iovlen(msg, 1);
            long[] got = new long[4];
            List<String> trace = InProcessTrace.of(() -> {
                got[0] = writev(sv[0], iov, 1);
                got[1] = readv(sv[1], iov, 1);
                got[2] = sendmsg(sv[0], msg, MSG_NOSIGNAL);
                got[3] = recvmsg(sv[1], msg, MSG_DONTWAIT);
            });
            assertEquals(List.of(2L, 2L, 2L, 2L), List.of(got[0], got[1], got[2], got[3]));
            String i = "[{iov_base=\"ab\", iov_len=2}]";
            String mh = "{msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"ab\", iov_len=2}], msg_iovlen=1, msg_controllen=0, msg_flags=0}";
            assertEquals(List.of("writev(" + sv[0] + ", " + i + ", 1) = 2", "readv(" + sv[1] + ", " + i + ", 1) = 2",
                    "sendmsg(" + sv[0] + ", " + mh + ", MSG_NOSIGNAL) = 2", "recvmsg(" + sv[1] + ", " + mh + ", MSG_DONTWAIT) = 2"), trace);
        } finally {
            closeAll(sv);
        }
    }

    @Test
    void mkdtempStatUnlinkRmdir(@TempDir Path dir) {
        try (Arena arena = Arena.ofConfined()) {
            String template = dir + "/psock.XXXXXX";
            MemorySegment t = arena.allocateFrom(template);
            MemorySegment st = arena.allocate(io.github.panamasockets.bindings.stat.layout());
            String[] made = new String[1];
            int[] got = new int[3];
            List<String> trace = InProcessTrace.of(() -> {
                made[0] = cstring(mkdtemp(t));
                got[0] = stat(made[0], st);
                got[1] = unlink(made[0]);
                got[2] = rmdir(made[0]);
            });
            assertTrue(made[0].startsWith(dir + "/psock.") && !made[0].endsWith("XXXXXX"), made[0]);
            assertEquals(0, got[0]);
            assertEquals(-1, got[1], "unlink of a directory");
            assertEquals(0, got[2]);
            long size = io.github.panamasockets.bindings.stat.st_size(st);
            assertEquals(List.of("~mkdtemp(\"" + template + "\") = \"" + made[0] + "\"",
                    "stat(\"" + made[0] + "\", {st_mode=S_IFDIR|0700, st_size=" + size + ", ...}) = 0",
                    "unlink(\"" + made[0] + "\") = -1 EISDIR (Is a directory)",
                    "rmdir(\"" + made[0] + "\") = 0"), trace);
        }
    }

    @Test
    void posixSpawnWaitpidKill() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pid = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            int[] got = new int[4];
            List<String> trace = InProcessTrace.of(() -> {
                got[0] = posix_spawn(pid, "/bin/sh", MemorySegment.NULL, MemorySegment.NULL, new String[] {"sh", "-c", "exit 3"}, null);
                got[1] = waitpid(pid.get(ValueLayout.JAVA_INT, 0), status, 0);
                got[2] = kill(pid.get(ValueLayout.JAVA_INT, 0), 0);
                got[3] = waitpid(-1, MemorySegment.NULL, WNOHANG);
            });
            int child = pid.get(ValueLayout.JAVA_INT, 0);
            assertEquals(0, got[0]);
            assertEquals(child, got[1]);
            assertEquals(3, WEXITSTATUS(status.get(ValueLayout.JAVA_INT, 0)));
            assertEquals(-1, got[2], "the child has been reaped");
            assertEquals(List.of("~posix_spawn([" + child + "], \"/bin/sh\", ...) = 0",
                    "wait4(" + child + ", [" + status.get(ValueLayout.JAVA_INT, 0) + "], 0, NULL) = " + child,
                    "kill(" + child + ", 0) = -1 ESRCH (No such process)",
                    "wait4(-1, NULL, WNOHANG, NULL) = -1 ECHILD (No child processes)"), trace);
        }
    }

    @Test
    void inetPtonNtopGetaddrinfoGetnameinfoFreeaddrinfo() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(4);
            MemorySegment text = arena.allocate(16);
            MemorySegment hints = arena.allocate(addrinfo.layout());
            addrinfo.ai_family(hints, AF_INET);
            addrinfo.ai_flags(hints, AI_NUMERICHOST | AI_NUMERICSERV);
            MemorySegment res = arena.allocate(sockets_h.C_POINTER);
            MemorySegment a = addr(arena, 8080);
            MemorySegment host = arena.allocate(64), serv = arena.allocate(16);
            int[] got = new int[4];
            List<String> trace = InProcessTrace.of(() -> {
                got[0] = inet_pton(AF_INET, "10.1.2.3", in);
                inet_ntop(AF_INET, in, text, 16);
                got[1] = getaddrinfo("127.0.0.1", "80", hints, res);
                got[2] = getnameinfo(a, sizeofSockaddrIn(), host, 64, serv, 16, NI_NUMERICHOST | NI_NUMERICSERV);
                freeaddrinfo(in);
            });
            assertEquals(1, got[0]);
            assertEquals(0, got[1]);
            assertEquals(0, got[2]);
            assertEquals(EINVAL, errno(), "freeaddrinfo of memory getaddrinfo did not give");
            freeaddrinfo(res.get(sockets_h.C_POINTER, 0));
            String h = "0x" + Long.toHexString(hints.address()), r = "0x" + Long.toHexString(res.address());
            String i = "0x" + Long.toHexString(in.address());
            assertEquals(List.of("~inet_pton(AF_INET, \"10.1.2.3\", " + i + ") = 1",
                    "~inet_ntop(AF_INET, " + i + ", 0x" + Long.toHexString(text.address()) + ", 16) = \"10.1.2.3\"",
                    "~getaddrinfo(\"127.0.0.1\", \"80\", " + h + ", " + r + ") = 0",
                    "~getnameinfo(" + ObservableArgumentsTest.lo(8080) + ", 16, \"127.0.0.1\", 64, \"8080\", 16, NI_NUMERICHOST|NI_NUMERICSERV) = 0",
                    "freeaddrinfo(" + i + ") = ? EINVAL (not a list getaddrinfo returned, or freed already: not freed)"), trace);
        }
    }

    /** The calls of files, events, interfaces, process, signals and time that no other pinned test traces in this JVM. */
    @Test
    void filesEventsInterfacesProcessSignalsAndTime(@TempDir Path dir) {
        int[] sv = Loopback.socketpair(SOCK_DGRAM);
        int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(io.github.panamasockets.bindings.stat.layout());
            MemorySegment its = arena.allocate(io.github.panamasockets.bindings.itimerspec.layout());
            MemorySegment itv = arena.allocate(io.github.panamasockets.bindings.itimerval.layout());
            MemorySegment ts = arena.allocate(io.github.panamasockets.bindings.timespec.layout());
            MemorySegment n = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment old = arena.allocate(io.github.panamasockets.bindings.sigset_t.layout());
            MemorySegment pfd = arena.allocate(io.github.panamasockets.bindings.pollfd.layout());
            io.github.panamasockets.bindings.pollfd.fd(pfd, sv[0]);
            io.github.panamasockets.bindings.pollfd.events(pfd, (short) POLLIN);
            MemorySegment vec = arena.allocate(io.github.panamasockets.bindings.mmsghdr.layout());
            String missing = dir.resolve("missing").toString();
            long[] now = new long[1];
            List<String> trace = InProcessTrace.of(() -> {
                lstat(missing, st);
                timerfd_settime(tfd, 0, its, MemorySegment.NULL);
                ioctl(sv[0], FIONREAD, n);
                sendmmsg(sv[0], vec, 0, 0);
                recvmmsg(sv[1], vec, 0, MSG_DONTWAIT, MemorySegment.NULL);
                setpgid(-1, 0);
                setegid(getegid());
                getitimer(ITIMER_REAL, itv);
                pthread_sigmask(SIG_BLOCK, MemorySegment.NULL, old);
                ppoll(pfd, 1, ts, MemorySegment.NULL);
                nanosleep(ts, MemorySegment.NULL);
                sleep(0);
                usleep(0);
                now[0] = time(MemorySegment.NULL);
            });
            int gid = getegid();
            String stAt = "0x" + Long.toHexString(st.address());
            assertEquals(List.of("lstat(\"" + missing + "\", " + stAt + ") = -1 ENOENT (No such file or directory)",
                    "timerfd_settime(" + tfd + ", 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}, NULL) = 0",
                    "ioctl(" + sv[0] + ", FIONREAD, [0]) = 0",
                    "sendmmsg(" + sv[0] + ", [], 0, 0) = 0",
                    "recvmmsg(" + sv[1] + ", [], 0, MSG_DONTWAIT, NULL) = 0 (Timeout)", // as strace shows a C twin's
                    "setpgid(-1, 0) = -1 EINVAL (Invalid argument)",
                    "getegid() = " + gid,
                    "setresgid(-1, " + gid + ", -1) = 0",
                    "getitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=0, tv_usec=0}}) = 0",
                    "pthread_sigmask(SIG_BLOCK, NULL, [QUIT]) = 0", // the JVM blocks SIGQUIT on its threads: its thread dump is the signal dispatcher's
                    "ppoll([{fd=" + sv[0] + ", events=POLLIN}], 1, {tv_sec=0, tv_nsec=0}, NULL, 8) = 0 (Timeout)",
                    "nanosleep({tv_sec=0, tv_nsec=0}, NULL) = 0",
                    "sleep(0) = 0",
                    "usleep(0) = 0",
                    "time(NULL) = " + now[0]), trace);
        } finally {
            closeAll(sv[0], sv[1], tfd);
        }
    }
}
