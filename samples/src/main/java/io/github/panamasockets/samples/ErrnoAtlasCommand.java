package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.ErrnoTable;
import io.github.panamasockets.bindings.SocketsConstants;
import io.github.panamasockets.samples.SampleRuns.Lang;
import io.github.panamasockets.samples.SampleRuns.Output;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ./psock errno: the errno atlas.
 * <pre>
 *   errno                  every errno the facade's calls can return (the union of their javadoc
 *                          errno lists, and getaddrinfo's EAI_* codes), the calls that give it,
 *                          and whether an experiment provokes it here (or why not)
 *   errno NAME|NUMBER      runs NAME's experiment (the Java port, traced): the calls as strace
 *                          prints them, the failing one "= -1 NAME (text)", what the kernel saw,
 *                          and the failing line in C and in Java
 *   errno NAME --c         the same experiment's C twin (under strace when it is installed)
 *   errno --write-atlas    runs every experiment, Java and C, and writes docs/errno-atlas.md
 * </pre>
 */
final class ErrnoAtlasCommand {
    private ErrnoAtlasCommand() {}

    // ---- settings: what an experiment needs from outside its own process ----------------------

    /** How the runner starts an experiment, the same for the C twin and the Java port. */
    enum Kind { PLAIN, UNPRIVILEGED, NETNS, UNPRIVILEGED_NETNS, NOFILE }

    /** A setting: its kind, the shell commands that prepare it (ip ..., ulimit ...), and what it is in words. */
    record Setting(Kind kind, String setup, String words) {
        static final Setting PLAIN = new Setting(Kind.PLAIN, "", "this process alone, nothing set up (loopback, socketpairs, temporary files)");

        static Setting netns(String setup, String words) {
            return new Setting(Kind.NETNS, setup, "a network namespace of its own (unshare -n): " + words);
        }
    }

    static final Setting UNPRIVILEGED = new Setting(Kind.UNPRIVILEGED, "",
            "without privileges: as root, in a user namespace of its own (unshare --user), which holds no capability over the host's network");
    /**
     * A fresh network namespace (so that net.ipv4.ip_unprivileged_port_start is the kernel's 1024,
     * whatever the host or a container set), entered without privileges over it: a user namespace
     * made inside it holds no capability in the namespace that owns it.
     */
    static final Setting UNPRIVILEGED_NETNS = new Setting(Kind.UNPRIVILEGED_NETNS, "ip link set lo up",
            "without privileges, in a network namespace of its own (net.ipv4.ip_unprivileged_port_start 1024), from a user namespace made inside it (unshare --user)");
    static final Setting NOFILE = new Setting(Kind.NOFILE, "ulimit -n 64", "RLIMIT_NOFILE lowered to 64 for the experiment's process (ulimit -n 64)");
    static final Setting NO_ROUTE = Setting.netns("true", "no interface up, no route");
    static final Setting LO_UP = Setting.netns("ip link set lo up", "lo up, nothing else");

    /** An experiment: the errno it provokes, its setting, and what it shows. */
    record Entry(String name, Setting setting, String explanation) {}

    static final List<Entry> ENTRIES = List.of(
            new Entry("EACCES", UNPRIVILEGED_NETNS, """
                    bind(2) to port 80: ports below net.ipv4.ip_unprivileged_port_start (1024) belong to \
                    processes with CAP_NET_BIND_SERVICE, and this one has none. The kernel checks it right after \
                    it has found the address local. A server reports it and stops (or takes a port of 1024 \
                    and up, or is given the capability); retrying cannot help."""),
            new Entry("EADDRINUSE", Setting.PLAIN, """
                    Another socket is bound to 127.0.0.1:P and listening: the kernel found the port taken when it \
                    looked up the address. A server reports it and exits, or tries another port; a server restarted \
                    while old connections sit in TIME_WAIT sets SO_REUSEADDR before bind so that it can take its \
                    port back."""),
            new Entry("EADDRNOTAVAIL", Setting.PLAIN, """
                    bind(2) to 192.0.2.1: no interface of this host has that address, so a socket cannot be bound to \
                    it (unless IP_FREEBIND is set). It usually means a configuration names the wrong address; report \
                    it. From connect(2) the same errno means the local ports ran out."""),
            new Entry("EAFNOSUPPORT", Setting.PLAIN, """
                    The address passed to bind(2) says AF_UNIX, but the socket is AF_INET: the protocol cannot use an \
                    address of another family. It is a bug in the program (a sockaddr of the wrong type, or \
                    sa_family left 0); fix the code, do not retry."""),
            new Entry("EAGAIN", Setting.PLAIN, """
                    recv(2) with MSG_DONTWAIT on a socket with nothing to read: instead of blocking, the kernel says \
                    "try again later". EWOULDBLOCK is the same number on Linux. A non-blocking program waits for \
                    POLLIN (poll, epoll) and reads again; with SO_RCVTIMEO set, a blocking read that timed out says \
                    the same."""),
            new Entry("EALREADY", Setting.PLAIN, """
                    A non-blocking connect(2) is still in progress (its SYN was dropped: the listener's queue is \
                    full), and connect was called again. The program should instead wait for POLLOUT and read \
                    SO_ERROR to learn how the first connect ended."""),
            new Entry("EBADF", Setting.PLAIN, """
                    recv(2) on a descriptor that was just closed: the process has no file open under that number. It \
                    is always a bug (a double close, a descriptor used after close, one shared between threads \
                    without care), and a dangerous one: the number may already name another file. Fix the code."""),
            new Entry("ECONNABORTED", LO_UP, """
                    Linux gives ECONNABORTED on TCP when a connection is destroyed from outside: here `ss -K` asked \
                    the kernel (SOCK_DESTROY, which needs CAP_NET_ADMIN) to abort it, and the next recv(2) reports \
                    it. accept(2) on Linux does not return it for a connection reset before accept, as BSD does. \
                    Treat it as a lost connection: close the socket and reconnect or give up."""),
            new Entry("ECONNREFUSED", Setting.PLAIN, """
                    connect(2) to a port where a socket is bound but nobody listens: the peer's kernel answered the \
                    SYN with RST. Nothing is wrong with the program: the server is not running (yet). Report it, or \
                    retry after a delay if the server may be starting."""),
            new Entry("ECONNRESET", Setting.PLAIN, """
                    The peer closed with SO_LINGER {1, 0}, so its kernel sent RST instead of FIN, and recv(2) \
                    reports the reset (a peer that crashes, or that closes with unread data, does the same). The \
                    connection is gone: close the socket; data sent before may not have arrived. Reconnect if the \
                    protocol allows it."""),
            new Entry("EDESTADDRREQ", Setting.PLAIN, """
                    send(2) on a UDP socket that is not connected: a datagram needs a destination, and the socket \
                    has none. Use sendto(2) with an address, or connect(2) the socket first. A bug, not a condition \
                    to retry."""),
            new Entry("EFAULT", Setting.PLAIN, """
                    recv(2) into NULL: the kernel could not write the received bytes to that address. In C the \
                    kernel finds it out; in Java the facade refuses a buffer that cannot hold the length before the \
                    call, with the same -1 and EFAULT, so the kernel never sees the bad pointer. Always a bug."""),
            new Entry("EHOSTUNREACH", Setting.netns("ip route add unreachable 198.51.100.0/24", "a route \"unreachable 198.51.100.0/24\""), """
                    connect(2) to 198.51.100.1 found a route of type unreachable: the kernel fails the call at once \
                    (over a network it is an ICMP host unreachable coming back). Report it; a client with several \
                    addresses for a name (getaddrinfo) tries the next one."""),
            new Entry("EINPROGRESS", Setting.PLAIN, """
                    A non-blocking connect(2): the SYN is sent, the handshake is not over, and the call returns at \
                    once. It is not a failure: wait for POLLOUT, then getsockopt(SO_ERROR) says whether the \
                    connection was made (0) or why not."""),
            new Entry("EINTR", Setting.PLAIN, """
                    recv(2) was blocked with SO_RCVTIMEO set when the process was stopped (SIGSTOP) and continued \
                    (SIGCONT) by a child: such a call is not restarted, even with no signal handler (signal(7), \
                    "Interruption of system calls by stop signals"). A handler for any signal does the same without \
                    SA_RESTART. Retry the call (retryOnEintr does), except close."""),
            new Entry("EINVAL", Setting.PLAIN, """
                    accept(2) on a socket that never called listen(2): the kernel has no queue of connections to \
                    take one from. EINVAL says an argument makes no sense for the socket's state; it is a bug."""),
            new Entry("EISCONN", Setting.PLAIN, """
                    connect(2) on a TCP socket that is already connected. A non-blocking client that calls connect \
                    again to learn the result gets it when the connection succeeded; otherwise it is a bug."""),
            new Entry("EMFILE", NOFILE, """
                    The process reached its limit of open descriptors (RLIMIT_NOFILE, lowered to 64 here): socket(2) \
                    has no number to give. A server that gets it from accept(2) should not spin: close idle \
                    connections, stop accepting for a while, or raise the limit (ulimit -n) at start-up."""),
            new Entry("EMSGSIZE", Setting.PLAIN, """
                    sendto(2) of a 70000-byte UDP datagram: a datagram is sent whole or not at all, and one IPv4 UDP \
                    datagram carries at most 65507 bytes. Send smaller messages (keep them under the path MTU to \
                    avoid fragmentation); retrying the same size always fails."""),
            new Entry("ENETUNREACH", NO_ROUTE, """
                    connect(2) to 192.0.2.1 in a namespace with no route at all: the kernel knows no network that \
                    leads there. On a real host it means no default route (the network is down). Report it; retry \
                    later if the network may come back."""),
            new Entry("ENOBUFS", Setting.PLAIN, """
                    setsockopt(IP_ADD_MEMBERSHIP) for a 21st multicast group: one socket may join \
                    net.ipv4.igmp_max_memberships (20) groups, and the kernel refuses memory for one more. ENOBUFS \
                    says a kernel buffer or table is full; leave groups first, or use another socket."""),
            new Entry("ENOENT", Setting.PLAIN, """
                    connect(2) of an AF_UNIX socket to a path that does not exist: the server has not bound it (or \
                    is not running, or it removed the name). As ECONNREFUSED for TCP: report it, or retry later if \
                    the server may be starting."""),
            new Entry("ENOPROTOOPT", Setting.PLAIN, """
                    getsockopt(2) at level SOL_SOCKET with an option number that level does not have. The option \
                    may be newer than this kernel: a portable program falls back to doing without it."""),
            new Entry("ENOTCONN", Setting.PLAIN, """
                    recv(2) on a TCP socket that was never connected: there is no stream to read. Note that send(2) \
                    on the same socket gives EPIPE on Linux, not ENOTCONN. A bug, or a connection that was never \
                    made: check connect's result."""),
            new Entry("ENOTSOCK", Setting.PLAIN, """
                    listen(2) on the read end of a pipe: the descriptor is valid but not a socket. A bug: a \
                    descriptor mixed up with another."""),
            new Entry("EOPNOTSUPP", Setting.PLAIN, """
                    listen(2) on a UDP socket: datagram sockets have no connections to queue. The socket type is \
                    wrong for the call (SOCK_DGRAM for a server that wants SOCK_STREAM): a bug."""),
            new Entry("EPERM", UNPRIVILEGED, """
                    socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) without CAP_NET_RAW: raw sockets can forge packets and \
                    see other programs' traffic, so they need the capability. Report it (run as root or give the \
                    capability), or use an unprivileged alternative (SOCK_DGRAM with IPPROTO_ICMP for ping)."""),
            new Entry("EPIPE", Setting.PLAIN, """
                    send(2) to a socket whose peer has closed: nobody will read. Without MSG_NOSIGNAL the kernel \
                    also sends SIGPIPE, which kills a C program by default (the JVM ignores SIGPIPE). Treat it as the \
                    end of the connection: stop writing and close."""),
            new Entry("EPROTONOSUPPORT", Setting.PLAIN, """
                    socket(AF_INET, SOCK_STREAM, IPPROTO_UDP): UDP is not a stream protocol, so the pair is \
                    refused. Pass 0 as protocol to get the family's default for the type; a bug otherwise."""),
            new Entry("EPROTOTYPE", Setting.PLAIN, """
                    connect(2) of an AF_UNIX SOCK_STREAM socket to a name bound by a SOCK_DGRAM socket: both ends \
                    must be of the same type. A bug, or a client and a server that disagree on the socket type."""),
            new Entry("ETIMEDOUT", Setting.netns("ip link set lo up && ip route add 203.0.113.0/24 dev lo",
                    "a route sending 203.0.113.0/24 into lo, where nothing answers"), """
                    connect(2) sent a SYN, then one retransmission (TCP_SYNCNT 1; the default is 6, about two \
                    minutes), and nothing came back: the kernel gave up after 3 s. A silent peer, a firewall that \
                    drops, or a dead route. Report it, or retry later; a read on an established connection that \
                    loses its peer ends the same way."""),
            new Entry("ENOSPC", Setting.PLAIN, """
                    inet_ntop(3) was given 4 bytes for "127.0.0.1" and its NUL (10): the text does not fit, and \
                    glibc writes nothing. Size the buffer INET_ADDRSTRLEN (16) or INET6_ADDRSTRLEN (46)."""),
            new Entry("ENODEV", Setting.PLAIN, """
                    if_nametoindex(3) of "nosuch0": no interface has that name, so it returns 0 and sets errno. \
                    Report it: the name came from a user or a configuration (for sin6_scope_id, SO_BINDTODEVICE)."""),
            new Entry("EEXIST", Setting.PLAIN, """
                    epoll_ctl(EPOLL_CTL_ADD) of a descriptor the epoll instance already watches. Use EPOLL_CTL_MOD \
                    to change what it waits for; an event loop that adds a socket twice has lost track of it."""),
            new Entry("ELOOP", Setting.PLAIN, """
                    epoll_ctl would make two epoll instances watch each other: the kernel refuses the loop (epoll \
                    also gives ELOOP for nesting deeper than 5). Nothing to retry: the program's structure is wrong."""),
            new Entry("ENOTEMPTY", Setting.PLAIN, """
                    rmdir(2) of a directory that still holds the socket file bind(2) made for an AF_UNIX name: the \
                    file stays after close, until unlink. A server unlinks its socket's name when done (and before \
                    bind, a stale one from a crashed run, else bind gives EADDRINUSE)."""),
            new Entry("EISDIR", Setting.PLAIN, """
                    unlink(2) of a directory: Linux's answer where POSIX says EPERM. A program that cleans up a \
                    socket's directory removes the socket file with unlink and the directory with rmdir."""),
            new Entry("ENOTDIR", Setting.PLAIN, """
                    stat(2) of "/dev/null/socket": a component of the path is not a directory. For an AF_UNIX name \
                    bind and connect give the same: check the path."""),
            new Entry("ENAMETOOLONG", Setting.PLAIN, """
                    stat(2) of a 4999-byte path: longer than PATH_MAX (4096). An AF_UNIX name has a much smaller \
                    limit, sun_path's 108 bytes, which the facade's sun_path() enforces with the same errno."""),
            new Entry("ECHILD", Setting.PLAIN, """
                    waitpid(-1) in a process with no child to wait for. A forking server that reaps with a SIGCHLD \
                    handler looping on waitpid(-1, WNOHANG) ends its loop on it; elsewhere it means the child was \
                    reaped already."""),
            new Entry("ESRCH", Setting.PLAIN, """
                    kill(pid, 0) of a child that has exited and been reaped: no process has that pid now. Signal 0 \
                    only asks whether the process exists; beware that a pid is reused once reaped."""),
            new Entry("EAI_ADDRFAMILY", Setting.PLAIN, """
                    getaddrinfo(3) for "::1" with ai_family AF_INET and AI_NUMERICHOST: the host is an IPv6 address, \
                    and IPv4 was asked for. Ask for AF_UNSPEC to take what the name has."""),
            new Entry("EAI_AGAIN", NO_ROUTE, """
                    getaddrinfo(3) for a name not in /etc/hosts needs DNS, and the name server cannot be reached from \
                    a namespace without routes: a temporary failure. Retry later, with a back-off."""),
            new Entry("EAI_BADFLAGS", Setting.PLAIN, """
                    getaddrinfo(3) with AI_CANONNAME and no host: there is no name to make canonical, so the flags \
                    are refused. A bug in the hints."""),
            new Entry("EAI_FAMILY", Setting.PLAIN, """
                    getaddrinfo(3) with ai_family 12345: no such address family. A bug in the hints (AF_INET, \
                    AF_INET6 or AF_UNSPEC)."""),
            new Entry("EAI_IDN_ENCODE", NO_ROUTE, """
                    getaddrinfo(3) with AI_IDN for a name that is not ASCII while the locale is C: glibc cannot \
                    convert it to an IDNA (punycode) name. It runs without routes so that a name that did convert \
                    could not reach DNS. Call setlocale(LC_ALL, "") in C for a UTF-8 locale, or pass ASCII names."""),
            new Entry("EAI_NONAME", Setting.PLAIN, """
                    getaddrinfo(3) with AI_NUMERICHOST for "not-a-number": the host is not a numeric address, and \
                    the flag forbids a lookup. Without the flag, EAI_NONAME means the name is unknown. Report it \
                    with gai_strerror(3)."""),
            new Entry("EAI_OVERFLOW", Setting.PLAIN, """
                    getnameinfo(3) was given 4 bytes for a host of 10 ("127.0.0.1" and its NUL). Use NI_MAXHOST and \
                    NI_MAXSERV sized buffers. glibc's gai_strerror has no text of its own for it ("Unknown error")."""),
            new Entry("EAI_SERVICE", Setting.PLAIN, """
                    getaddrinfo(3) for service "no-such-service": /etc/services has no such name for SOCK_STREAM. \
                    Pass a port number as text ("8080"), or a service name the system knows."""),
            new Entry("EAI_SOCKTYPE", Setting.PLAIN, """
                    getaddrinfo(3) with ai_socktype 12345: no such socket type. A bug in the hints (SOCK_STREAM, \
                    SOCK_DGRAM, or 0 for any)."""));

    /**
     * Why the atlas has no experiment for these errnos, which the facade's javadoc lists name.
     * A test holds this map and the lists to each other: every errno listed has an experiment or a line here.
     */
    static final Map<String, String> NOT_PROVOKED = new TreeMap<>(Map.ofEntries(
            Map.entry("EBUSY", "dup2's race with open(2) in another thread, rmdir of a mount point: not something a socket call gives on purpose"),
            Map.entry("EDEADLK", "fcntl(F_SETLKW) record locks on a file that two processes wait on crosswise: a file lock, not a socket call"),
            Map.entry("ENOLCK", "fcntl's record locks: the kernel's lock table full, nothing a socket program reaches"),
            Map.entry("EOVERFLOW", "fcntl(F_GETLK) on a file whose lock offset does not fit the caller's off_t (32-bit programs): not on a 64-bit JVM"),
            Map.entry("EDQUOT", "a disk quota: write(2) to a file, not to a socket"),
            Map.entry("EFBIG", "a file past its size limit: write(2) to a file, not to a socket"),
            Map.entry("EIO", "a device's I/O error (a disk, a terminal): sockets do not report it"),
            Map.entry("ENFILE", "the system-wide limit of open files (fs.file-max): reaching it would starve every other process on the machine"),
            Map.entry("ENOMEM", "the kernel out of memory for the socket's buffers: nothing a program does on a healthy machine makes that happen on purpose"),
            Map.entry("EROFS", "a read-only file system under an AF_UNIX name: the atlas does not mount one"),
            Map.entry("ESHUTDOWN", "Linux does not give it for TCP, UDP or AF_UNIX: send(2) after shutdown(SHUT_WR) gives EPIPE on each of them (TCP, UDP, and AF_UNIX stream, datagram and seqpacket, tried), see EPIPE; only other protocols (SCTP, RDS) use it"),
            Map.entry("EAI_FAIL", "a name server's non-recoverable answer (REFUSED, FORMERR): needs a DNS server to answer so, and the atlas sends no query outside a namespace"),
            Map.entry("EAI_MEMORY", "glibc out of memory during the lookup: not provoked on purpose"),
            Map.entry("EAI_NODATA", "a name that exists in DNS with no address: needs a real DNS answer, and the atlas sends no query outside a namespace"),
            Map.entry("EAI_SYSTEM", "a system call under getaddrinfo failed (errno says which); the facade itself answers EAI_SYSTEM with errno EFAULT for hints or res it cannot use"),
            Map.entry("EAI_CANCELED", "getaddrinfo_a(3) (asynchronous lookups) only, which is not bound"),
            Map.entry("EAI_INPROGRESS", "getaddrinfo_a(3) only, which is not bound"),
            Map.entry("EAI_NOTCANCELED", "getaddrinfo_a(3) only, which is not bound"),
            Map.entry("EAI_ALLDONE", "getaddrinfo_a(3) only, which is not bound"),
            Map.entry("EAI_INTR", "getaddrinfo_a(3) only, which is not bound"),
            // the file, process, event and interface calls: the atlas provokes what socket programs meet, these are not its experiments yet
            Map.entry("E2BIG", "fork's child JVM started by posix_spawn with a command line over ARG_MAX: not a socket call's error"),
            Map.entry("ECANCELED", "timerfd_settime with TFD_TIMER_CANCEL_ON_SET when the real-time clock is set: needs CAP_SYS_TIME to set the clock"),
            Map.entry("EMLINK", "mkdir in a directory at the file system's link limit: a file system's, not a socket's"),
            Map.entry("ENOSYS", "syscall with a number the facade does not pass on: the facade's own answer, tested in its unit tests"),
            Map.entry("ENOTTY", "ioctl with a socket request on a descriptor that is not a socket (a pipe): an ioctl error, not a socket call's"),
            Map.entry("ENXIO", "if_indextoname of an index no interface has (tested in the facade's unit tests), lseek SEEK_DATA past a file's end: a file's, not a socket's"),
            Map.entry("ERANGE", "getpwnam's buffer too small for the entry: glibc sizes it, nothing the caller passes"),
            Map.entry("ESPIPE", "lseek/sendfile/splice with an offset on a pipe or socket: a file-offset error, tested in the facade's unit tests"),
            Map.entry("ETXTBSY", "open for writing of a program being run: a file's, not a socket's")));

    static Entry entry(String name) {
        for (Entry e : ENTRIES) if (e.name().equals(name)) return e;
        return null;
    }

    // ---- the errno lists of the facade's javadoc ----------------------------------------------

    private static final Pattern JAVADOC_THEN_METHOD = Pattern.compile("/\\*\\*(.*?)\\*/\\s*public static [\\w.<>\\[\\]]+ (\\w+)\\(", Pattern.DOTALL);
    private static final Pattern NAME = Pattern.compile("\\bE[A-Z0-9]{2,}\\b");
    /** Where a javadoc's errno list starts: "errno: EBADF, ...", "with errno EINVAL", "an error number: EFAULT". */
    private static final Pattern LIST_START = Pattern.compile("errno:|with errno|error number|errno E[A-Z]");

    /**
     * The facade's socket calls (and the few file and process calls the samples make beside them):
     * the atlas is about what socket calls return. The companion's files, signals, stdio and
     * process calls have errno lists of their own, which the atlas does not cover.
     */
    static final List<String> SOCKET_CALLS = List.of("Posix.java", "PosixNetdb.java");

    /** errno name -> the facade calls whose javadoc lists it, read from the api sources; aliases (EWOULDBLOCK) count as their number's name. */
    static Map<String, TreeSet<String>> javadocLists(Path root) throws IOException {
        Map<String, String> primary = new HashMap<>();
        for (ErrnoTable.Entry e : ErrnoTable.ENTRIES) primary.put(e.name(), e.aliasOf() == null ? e.name() : e.aliasOf());
        Map<String, TreeSet<String>> lists = new TreeMap<>();
        Path api = root.resolve("api/src/main/java/io/github/panamasockets/api");
        for (String name : SOCKET_CALLS) {
            String text = Files.readString(api.resolve(name), StandardCharsets.UTF_8);
            Matcher m = JAVADOC_THEN_METHOD.matcher(text);
            while (m.find()) {
                Matcher start = LIST_START.matcher(m.group(1));
                if (!start.find()) continue; // a javadoc that only mentions an errno (strerrorname's "EADDRINUSE")
                Matcher n = NAME.matcher(m.group(1).substring(start.start()));
                while (n.find()) {
                    String p = primary.get(n.group());
                    if (p != null) lists.computeIfAbsent(p, k -> new TreeSet<>()).add(m.group(2));
                }
            }
        }
        return lists;
    }

    /** getaddrinfo's codes: every EAI_ constant of the headers, for getaddrinfo and getnameinfo. */
    static List<String> eaiNames() {
        List<String> names = new ArrayList<>();
        for (Field f : SocketsConstants.class.getFields()) if (f.getName().startsWith("EAI_")) names.add(f.getName());
        names.sort(null);
        return names;
    }

    // ---- where an experiment can run ----------------------------------------------------------

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return line.split("\\s+")[2].equals("0");
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static final Map<String, Optional<String>> PROBES = new HashMap<>();

    /** Empty when the command runs (exit 0), else why not: its first line of error output. */
    static Optional<String> probe(String... command) {
        return PROBES.computeIfAbsent(String.join(" ", command), k -> {
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                int exit = p.waitFor();
                return exit == 0 ? Optional.empty() : Optional.of(out.isEmpty() ? "exit " + exit : out.lines().findFirst().orElse(""));
            } catch (IOException e) {
                return Optional.of(command[0] + " is not installed");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted");
            }
        });
    }

    /** The prefix that gives a setting its namespace, or privilege dropped. */
    static List<String> prefix(Setting s) {
        return switch (s.kind()) {
            case PLAIN, NOFILE -> List.of();
            case UNPRIVILEGED -> isRoot() ? List.of("unshare", "--user") : List.of();
            case NETNS, UNPRIVILEGED_NETNS -> isRoot() ? List.of("unshare", "--net") : List.of("unshare", "--map-root-user", "--net");
        };
    }

    /** What comes between a setting's setup and the experiment. */
    static List<String> afterSetup(Setting s) {
        return s.kind() == Kind.UNPRIVILEGED_NETNS ? List.of("unshare", "--user", "--") : List.of();
    }

    /** Empty when the experiment can run here, else why not, naming the privilege. */
    static Optional<String> cannotRun(Entry e) {
        return cannotRun(setting(e));
    }

    /**
     * The setting an experiment runs in here: its own, except that EACCES falls back to the host's
     * network namespace for a user who cannot make one, when the host reserves port 80 too.
     */
    static Setting setting(Entry e) {
        Setting s = e.setting();
        if (s.kind() != Kind.UNPRIVILEGED_NETNS || isRoot() || cannotRun(s).isEmpty()) return s;
        int start = unprivilegedPortStart();
        return start > 80 ? new Setting(Kind.PLAIN, "", "as this unprivileged user, in the host's network namespace (net.ipv4.ip_unprivileged_port_start " + start + ")") : s;
    }

    /**
     * The host's net.ipv4.ip_unprivileged_port_start, or 0 when it cannot be read. In one read(2):
     * a sysctl file gives end of file to a read at a non-zero offset, and Files.readString of a
     * file whose size says 0 reads its first byte alone (and would see "1" for "1024").
     */
    static int unprivilegedPortStart() {
        try (var in = new java.io.FileInputStream("/proc/sys/net/ipv4/ip_unprivileged_port_start")) {
            byte[] buf = new byte[64];
            int n = in.read(buf);
            return n <= 0 ? 0 : Integer.parseInt(new String(buf, 0, n, StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Empty when the setting can be made here, else why not, naming the privilege. */
    static Optional<String> cannotRun(Setting s) {
        if (s.kind() == Kind.UNPRIVILEGED && isRoot()) {
            return probe("unshare", "--user", "true").map(why -> "this process is root, and cannot leave its privileges in a user namespace (unshare --user: " + why + ")");
        }
        if (s.kind() == Kind.NETNS || s.kind() == Kind.UNPRIVILEGED_NETNS) {
            List<String> bare = new ArrayList<>(prefix(s));
            bare.add("true");
            Optional<String> noNamespace = probe(bare.toArray(String[]::new)).map(why -> isRoot()
                    ? "cannot create a network namespace (needs CAP_SYS_ADMIN; " + String.join(" ", bare) + ": " + why + ")"
                    : "cannot create a network namespace: needs root (CAP_SYS_ADMIN) or unprivileged user namespaces (" + String.join(" ", bare) + ": " + why + ")");
            if (noNamespace.isPresent()) return noNamespace;
            List<String> p = new ArrayList<>(prefix(s));
            p.addAll(List.of("sh", "-c", s.setup() + " && exec \"$@\"", "sh"));
            p.addAll(afterSetup(s));
            p.add("true");
            return probe(p.toArray(String[]::new)).map(why -> "the network namespace was made, but setting it up failed (" + s.setup()
                    + (afterSetup(s).isEmpty() ? "" : ", then " + String.join(" ", afterSetup(s))) + "; needs iproute2's ip and CAP_NET_ADMIN there): " + why);
        }
        return Optional.empty();
    }

    /** The command that runs an experiment in its setting, with LC_ALL=C so that C and Java get the same texts. */
    static List<String> command(SampleRuns.Commands commands, Entry e, Lang lang) {
        Setting s = setting(e);
        List<String> c = new ArrayList<>(prefix(s));
        c.addAll(List.of("env", "LC_ALL=C"));
        if (!s.setup().isEmpty()) c.addAll(List.of("sh", "-c", s.setup() + " && exec \"$@\"", "sh"));
        c.addAll(afterSetup(s));
        c.addAll(commands.of(lang, "errno-atlas", List.of(e.name())));
        return c;
    }

    // ---- running one ----------------------------------------------------------------------------

    /** What one run gave: its trace (the facade's, or strace's for C), its last stdout line, exit status. */
    record Run(Entry entry, Lang lang, List<String> trace, String verdict, int exit, Output output) {
        boolean skipped() { return exit == SampleRuns.SKIPPED; }
    }

    /** How slf4j-simple starts a line of the main thread's trace (see simplelogger.properties). */
    static final String TRACE_LINE = "[main] DEBUG ";

    static final String TRACE_OPTION = "-D" + Launcher.TRACE_PROPERTY + "=debug";

    /** The C twin is straced without -f, its children unseen: the port's lines carry no "[pid N]" either, even while a child runs. */
    static final String ONE_PROCESS = "-Dpsock.trace.pid=never";

    /** The system calls shown for a C twin under strace: the socket calls and the few around them. */
    static final String STRACED = "execve,%network,close,pipe,pipe2,getpid,kill,wait4,clone,clone3,vfork,mkdir,rmdir,unlink,unlinkat,"
            + "epoll_create1,epoll_ctl,newfstatat,statx";

    static Run run(SampleRuns.Commands commands, Entry e, Lang lang, boolean trace) throws IOException {
        Optional<String> cannot = cannotRun(e);
        if (cannot.isPresent()) {
            return new Run(e, lang, List.of(), "skipped: " + cannot.get(), SampleRuns.SKIPPED, null);
        }
        Path straceLog = null;
        List<String> strace = List.of();
        if (trace && lang == Lang.C && probe("strace", "-V").isEmpty()) {
            straceLog = Files.createTempFile("errno-atlas", ".strace");
            strace = List.of("strace", "-qq", "-o", straceLog.toString(), "-e", "trace=" + STRACED, "--");
        }
        SampleRuns.Commands traced = trace && lang == Lang.JAVA
                ? new SampleRuns.Commands(commands.root(), commands.classpath(), List.of(TRACE_OPTION, ONE_PROCESS)) : commands;
        List<String> command = new ArrayList<>(strace); // strace outermost: it follows the one process through unshare, env and sh
        command.addAll(command(traced, e, lang));
        try (SampleRuns.Proc p = new SampleRuns.Proc(lang.title() + " " + e.name(), command, SampleRuns.Console.SILENT)) {
            Output out = p.await();
            List<String> traceLines = new ArrayList<>();
            if (lang == Lang.JAVA) {
                for (String line : out.stderr()) if (line.startsWith(TRACE_LINE)) traceLines.add(line.substring(TRACE_LINE.length()));
            } else if (straceLog != null) {
                traceLines.addAll(fromStrace(Files.readAllLines(straceLog)));
            }
            String verdict = out.stdout().isEmpty() ? "(no output; exit " + out.exit() + ")" : out.stdout().getLast();
            return new Run(e, lang, traceLines, verdict, out.exit(), out);
        } finally {
            if (straceLog != null) Files.deleteIfExists(straceLog);
        }
    }

    /**
     * strace's lines of the experiment itself: those after the last execve (unshare, env and sh come
     * first in the same process), without the dynamic loader's close() calls before main, fstat calls, signals and exit.
     */
    static List<String> fromStrace(List<String> lines) {
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("execve(")) {
                kept.clear();
                continue;
            }
            if (kept.isEmpty() && line.startsWith("close(")) continue;
            if (line.contains("AT_EMPTY_PATH")) continue; // fstat of a descriptor: the loader's, and stdio's of stdout
            if (line.startsWith("+++") || line.startsWith("---")) continue;
            kept.add(line.replaceFirst("\\)\\s{2,}= ", ") = ")); // strace pads short lines to a column
        }
        return kept;
    }

    private static final Pattern CALL = Pattern.compile("^~?(\\w+)\\(.*\\) = (-?\\d+)( E\\w+)?.*$");

    /** A trace with each run of more than four alike lines (the same call, succeeding) shortened to its first two and last. */
    static List<String> shortened(List<String> trace) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < trace.size()) {
            int j = i + 1;
            while (j < trace.size() && alike(trace.get(i), trace.get(j))) j++;
            if (j - i > 4) {
                out.add(trace.get(i));
                out.add(trace.get(i + 1));
                out.add("... " + (j - i - 3) + " more like these ...");
                out.add(trace.get(j - 1));
            } else {
                out.addAll(trace.subList(i, j));
            }
            i = j;
        }
        return out;
    }

    private static boolean alike(String a, String b) {
        Matcher x = CALL.matcher(a), y = CALL.matcher(b);
        return x.matches() && y.matches() && x.group(1).equals(y.group(1)) && !x.group(2).equals("-1") && !y.group(2).equals("-1");
    }

    /** The line of a source that carries "fails: NAME" (or, for getaddrinfo's codes, the experiment's one line), trimmed. */
    static String failingLine(Path source, String name) throws IOException {
        for (String line : Files.readAllLines(source, StandardCharsets.UTF_8)) {
            if (line.contains("fails: " + name + " */")) return line.replaceAll("\\s*/\\* fails: \\w+ \\*/", "").strip();
        }
        for (String line : Files.readAllLines(source, StandardCharsets.UTF_8)) {
            if (line.contains(" e_" + name + "(")) return line.strip();
        }
        return "(not found in " + source.getFileName() + ")";
    }

    static Path cSource(Path root) {
        return root.resolve("native/samples/errno-atlas.c");
    }

    static Path javaSource(Path root) {
        return root.resolve("samples/src/main/java/io/github/panamasockets/samples/ErrnoAtlas.java");
    }

    // ---- the command --------------------------------------------------------------------------

    static int main(List<String> args) throws IOException {
        Path root = SampleRuns.root();
        if (args.isEmpty()) return list(root);
        if (args.getFirst().equals("--write-atlas")) return writeAtlas(root);
        if (args.getFirst().equals("--help") || args.getFirst().equals("-h")) {
            System.out.println("usage: psock errno [NAME|NUMBER [--c] | --write-atlas]");
            return 0;
        }
        Entry e = resolve(args.getFirst());
        if (e == null || args.size() > 2 || (args.size() == 2 && !args.get(1).equals("--c"))) {
            if (e == null && args.size() <= 2) {
                String name = args.getFirst();
                String why = NOT_PROVOKED.get(name);
                System.err.println(why != null ? "errno: no experiment for " + name + ": " + why
                        : "errno: no experiment named " + name + "; ./psock errno lists them");
            } else {
                System.err.println("usage: psock errno [NAME|NUMBER [--c] | --write-atlas]");
            }
            return 2;
        }
        Lang lang = args.size() == 2 ? Lang.C : Lang.JAVA;
        Run r = run(commands(root), e, lang, true);
        System.out.print(show(root, r, false));
        return r.exit() == 0 ? 0 : r.skipped() ? SampleRuns.SKIPPED : 1;
    }

    /** NAME, an alias (EWOULDBLOCK), or a number (111). */
    static Entry resolve(String arg) {
        String name = arg;
        if (arg.matches("\\d+")) {
            for (ErrnoTable.Entry t : ErrnoTable.ENTRIES) if (t.number() == Integer.parseInt(arg) && t.aliasOf() == null) name = t.name();
        } else if (arg.matches("-\\d+")) { // getaddrinfo's codes are negative
            for (String eai : eaiNames()) if (title(eai).startsWith(eai + " (" + arg + ",")) name = eai;
        }
        for (ErrnoTable.Entry t : ErrnoTable.ENTRIES) if (t.name().equals(name) && t.aliasOf() != null) name = t.aliasOf();
        return entry(name);
    }

    /** How to start the experiments: with this JVM's class path (./psock gives it the build's). */
    static SampleRuns.Commands commands(Path root) {
        return new SampleRuns.Commands(root, System.getProperty("java.class.path"), List.of());
    }

    static String title(String name) {
        for (ErrnoTable.Entry t : ErrnoTable.ENTRIES) {
            if (t.name().equals(name)) return name + " (" + t.number() + ", " + t.message() + ")";
        }
        for (Field f : SocketsConstants.class.getFields()) {
            try {
                if (f.getName().equals(name)) return name + " (" + f.getInt(null) + ", " + io.github.panamasockets.api.Posix.gai_strerror(f.getInt(null)) + ")";
            } catch (IllegalAccessException ex) {
                throw new AssertionError(ex);
            }
        }
        return name;
    }

    /** One run as the terminal shows it, or (markdown) as the atlas page does. */
    static String show(Path root, Run r, boolean markdown) throws IOException {
        StringBuilder s = new StringBuilder();
        Entry e = r.entry();
        String who = r.lang() == Lang.JAVA ? "the Java port, ErrnoAtlas.e_" + e.name() + " (facade trace)"
                : "the C twin, native/samples/errno-atlas.c e_" + e.name() + (r.trace().isEmpty() ? "" : " (strace)");
        if (!markdown) s.append(title(e.name())).append('\n');
        s.append(markdown ? "Experiment: " : "experiment: ").append(who).append('\n');
        Setting setting = setting(e);
        s.append(markdown ? "\nSetting: " : "setting:    ").append(setting.words());
        if (!setting.setup().isEmpty() && setting.kind() != Kind.NOFILE) s.append(markdown ? "; `" : "; ").append(setting.setup()).append(markdown ? "`" : "");
        s.append('\n');
        if (markdown) s.append("\n```\n");
        else s.append('\n');
        for (String line : shortened(r.trace())) s.append(markdown ? "" : "  ").append(line).append('\n');
        if (r.trace().isEmpty() && !r.skipped()) s.append(markdown ? "" : "  ").append(r.lang() == Lang.C && probe("strace", "-V").isEmpty()
                ? "(no system call: glibc answered without asking the kernel)\n" : "(no trace: strace is not installed)\n");
        s.append(markdown ? "" : "  ").append("=> ").append(r.verdict()).append('\n');
        if (markdown) s.append("```\n");
        s.append('\n');
        s.append(markdown ? "" : "what happened: ").append(e.explanation()).append("\n\n");
        String c = failingLine(cSource(root), e.name()), java = failingLine(javaSource(root), e.name());
        if (markdown) {
            s.append("| C | Java |\n|---|---|\n| `").append(c.replace("|", "\\|")).append("` | `").append(java.replace("|", "\\|")).append("` |\n");
        } else {
            s.append("C:    ").append(c).append('\n').append("Java: ").append(java).append('\n');
        }
        return s.toString();
    }

    static int list(Path root) throws IOException {
        Map<String, TreeSet<String>> lists = javadocLists(root);
        int provoked = 0, listed = 0;
        StringBuilder s = new StringBuilder();
        s.append("Every errno the facade's calls can return (their javadoc errno lists) and getaddrinfo's EAI_* codes;\n")
                .append("`./psock errno NAME` provokes one live and explains it, `--c` runs its C twin.\n\n");
        for (String name : allNames(lists)) {
            listed++;
            Entry e = entry(name);
            String here;
            if (e != null) {
                Optional<String> cannot = cannotRun(e);
                here = cannot.map(w -> "not here: " + w).orElse("yes: " + setting(e).words());
                if (cannot.isEmpty()) provoked++;
            } else {
                here = "no: " + NOT_PROVOKED.getOrDefault(name, "(no reason recorded)");
            }
            s.append(String.format("%-16s %s%n", name, title(name).substring(name.length()).strip()));
            s.append("    calls:    ").append(callsText(lists, name)).append('\n');
            s.append("    provoked: ").append(here).append('\n');
        }
        s.append('\n').append(provoked).append(" of ").append(listed).append(" can be provoked here.\n");
        System.out.print(s);
        return 0;
    }

    /** The javadoc lists' errnos, then the EAI codes, then those the issue asked about that no call lists (ESHUTDOWN). */
    static List<String> allNames(Map<String, TreeSet<String>> lists) {
        List<String> names = new ArrayList<>(lists.keySet());
        names.addAll(eaiNames());
        for (String name : NOT_PROVOKED.keySet()) if (!names.contains(name)) names.add(name);
        return names;
    }

    /** The calls that list an errno, as the listing and the page show them. */
    static String callsText(Map<String, TreeSet<String>> lists, String name) {
        TreeSet<String> calls = lists.get(name);
        if (calls != null) return String.join(", ", calls);
        return name.startsWith("EAI_") ? "getaddrinfo, getnameinfo" : "none of the facade's calls lists it";
    }

    /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as '-'. */
    static String anchor(String heading) {
        return heading.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
    }

    static int writeAtlas(Path root) throws IOException {
        SampleRuns.Commands commands = commands(root);
        Map<String, TreeSet<String>> lists = javadocLists(root);
        StringBuilder page = new StringBuilder();
        page.append("<!-- DO NOT EDIT: written by ./psock errno --write-atlas from the experiments' runs. -->\n")
                .append("# The errno atlas\n\n")
                .append("Every errno the facade's socket calls can return, made to happen by a small experiment on ")
                .append("this machine (Linux ").append(System.getProperty("os.version")).append("), ")
                .append("run as the Java port with the facade's trace, and checked against its C twin ")
                .append("(`native/samples/errno-atlas.c`). Regenerate with `./psock errno --write-atlas`; ")
                .append("run one with `./psock errno NAME`.\n\n");
        StringBuilder sections = new StringBuilder(), missing = new StringBuilder();
        StringBuilder index = new StringBuilder("| errno | experiment's call, Java and C | setting |\n|---|---|---|\n");
        int provoked = 0, listed = 0;
        List<String> skipped = new ArrayList<>();
        for (String name : allNames(lists)) {
            listed++;
            Entry e = entry(name);
            String callText = callsText(lists, name);
            if (e == null) {
                missing.append("| ").append(name).append(" | ").append(callText).append(" | ")
                        .append(NOT_PROVOKED.getOrDefault(name, "(no reason recorded)")).append(" |\n");
                continue;
            }
            System.err.println("errno atlas: " + name);
            Run java = run(commands, e, Lang.JAVA, true);
            Run c = run(commands, e, Lang.C, true);
            sections.append("## ").append(title(name)).append("\n\n");
            sections.append("Calls that can give it: ").append(callText).append(".\n\n");
            index.append("| [").append(name).append("](#").append(anchor(title(name))).append(") | `")
                    .append(java.verdict().replace("|", "\\|")).append("`").append(c.verdict().equals(java.verdict()) || java.skipped() ? "" : " (C: `" + c.verdict() + "`)")
                    .append(" | ").append(setting(e).kind() == Kind.PLAIN ? "this process" : setting(e).kind().name().toLowerCase().replace('_', ' ')).append(" |\n");
            if (java.skipped()) {
                skipped.add(name + ": " + java.verdict().replaceFirst("^skipped: ", ""));
                sections.append("Not run here: ").append(java.verdict().replaceFirst("^skipped: ", "")).append("\n\n")
                        .append(e.explanation()).append("\n\n");
                continue;
            }
            if (java.exit() == 0) provoked++;
            sections.append(show(root, java, true)).append('\n');
            sections.append("The C twin, run the same way, ended with: `").append(c.verdict()).append("`")
                    .append(c.verdict().equals(java.verdict()) ? " (the same)." : " (DIFFERENT).").append("\n\n");
            if (!c.trace().isEmpty()) {
                sections.append("<details><summary>The C twin under strace</summary>\n\n```\n");
                for (String line : shortened(c.trace())) sections.append(line).append('\n');
                sections.append("```\n</details>\n\n");
            }
        }
        page.append("Provoked here: ").append(provoked).append(" of ").append(listed).append(" listed.");
        if (!skipped.isEmpty()) page.append(" Not run here (missing privilege): ").append(String.join("; ", skipped)).append('.');
        page.append("\n\n").append(index).append("\nAnd [those not provoked, with why](#not-provoked-and-why).\n\n").append(sections);
        page.append("## Not provoked, and why\n\n| errno | calls | why |\n|---|---|---|\n").append(missing);
        Path out = root.resolve("docs/errno-atlas.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, page.toString());
        System.out.println("wrote " + out + ": " + provoked + " of " + listed + " provoked");
        return 0;
    }
}
