package io.github.panamasockets.samples;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The socket calls of a sample, read from {@code strace -f -o FILE} output: what the tests compare
 * between a Java port and its C twin.
 *
 * <p>A JVM makes thousands of system calls of its own (class loading, GC, JIT, its own threads),
 * and a C program makes some too (stdio's writes to fd 1). The filter keeps only calls on the
 * sample's own sockets:
 * <ol>
 * <li>A descriptor is the sample's when socket, socketpair, accept, accept4 or epoll_create1
 *     returned it, unless it was made close-on-exec (SOCK_CLOEXEC, EPOLL_CLOEXEC): the samples,
 *     in C and in Java, never ask for that, and glibc's own sockets always do (the nscd lookup
 *     the JVM makes at start-up for user.name). It stops being the sample's at its close.
 * <li>Descriptors are tracked per descriptor table: a thread (clone with CLONE_FILES) shares
 *     its parent's table; a child process (fork, or the clone of posix_spawn) starts with a copy,
 *     so a forked child's calls on an inherited socket are the sample's too.
 * <li>A call is kept when it operates on a tracked descriptor: its first argument for the
 *     descriptor calls (bind, listen, accept, connect, read, write, send..., close, fcntl,
 *     getsockopt, epoll_ctl's epfd...), any descriptor of its sets for select, any fd= of its
 *     array for poll. poll and select over no tracked descriptor (poll(NULL, 0, 1), a 1 ms
 *     sleep) are not socket calls and are not kept.
 * </ol>
 * A call that a signal interrupted and the kernel restarted ("= ? ERESTARTSYS") is left out: the
 * program never sees it, only the restarted call, and whether a child's SIGCHLD happens to land
 * during a wait is timing.
 *
 * <p>Each kept call becomes (name, arguments, result, errno name), with what depends on the run
 * taken out of the arguments and result and everything else kept: flags, lengths, option names and
 * values, address families, counts and timeouts stay as strace prints them; a descriptor of the
 * sample's becomes "fd1", "fd2"... in the order the sample created them (numbers differ between a
 * JVM and a C program); a socket address keeps only its family (ports and peers are the run's);
 * buffer contents become "..." (their lengths are compared); pointers become "0x?"; select's
 * nfds, which is the highest descriptor number + 1, becomes "nfds". The calls are grouped by
 * thread, in the order each thread made them, every call kept: a program that makes one more call
 * (a second close) differs. Threads are compared as a sorted list of their sequences, so that
 * which thread's id is smaller does not matter.
  */
final class StraceLog {
    private StraceLog() {}

    /**
     * One kept call: the system call's name, its arguments with what depends on the run taken out,
     * its result ("fd3" for the sample's third descriptor) and errno's name ("" when none).
     */
    record Call(String name, String args, String result, String errno) {
        @Override
        public String toString() {
            return name + "(" + args + ") = " + result + (errno.isEmpty() ? "" : " " + errno);
        }
    }

    /** The system calls a test asks strace for: the network calls, the descriptor calls, the waits, and process creation. */
    static final String TRACED = "%network,read,write,readv,writev,close,fcntl,select,pselect6,poll,ppoll,"
            + "epoll_create,epoll_create1,epoll_ctl,epoll_wait,epoll_pwait,clone,clone3,fork,vfork";

    private static final Set<String> CREATE = Set.of("socket", "socketpair", "accept", "accept4", "epoll_create", "epoll_create1");
    private static final Set<String> FIRST_ARG_FD = Set.of("bind", "listen", "accept", "accept4", "connect", "shutdown",
            "getsockname", "getpeername", "getsockopt", "setsockopt", "send", "recv", "sendto", "recvfrom", "sendmsg", "recvmsg",
            "sendmmsg", "recvmmsg", "read", "write", "readv", "writev", "close", "fcntl", "epoll_ctl", "epoll_wait", "epoll_pwait");
    private static final Set<String> CLONES = Set.of("clone", "clone3", "fork", "vfork");

    private static final Pattern PID = Pattern.compile("^(\\d+)\\s+(.*)$");
    private static final Pattern COMPLETE = Pattern.compile("^(\\w+)\\((.*)\\)\\s+=\\s+(.*)$");
    private static final Pattern UNFINISHED = Pattern.compile("^(\\w+)\\((.*) <unfinished \\.\\.\\.>$");
    private static final Pattern RESUMED = Pattern.compile("^<\\.\\.\\. (\\w+) resumed>(.*)\\)\\s+=\\s+(.*)$");
    private static final Pattern LEADING_INT = Pattern.compile("^\\s*(-?\\d+)");
    private static final Pattern SET = Pattern.compile("\\[([\\d ]*)]");
    private static final Pattern POLL_FD = Pattern.compile("fd=(-?\\d+)");
    private static final Pattern ERRNO = Pattern.compile("^-1 (E[A-Z0-9]+)\\b.*");

    /** A finished system call: who made it, its arguments and result as strace printed them, the lines of its entry and end. */
    private record Syscall(int tid, String name, String args, String result, int entryLine, int endLine) {}

    /** The kept calls of each thread that made any, in order, every one kept. */
    static Map<Integer, List<Call>> socketCallsByThread(List<String> lines) {
        return socketCalls(lines, false);
    }

    /**
     * The kept calls of all threads as one sequence, in the order strace saw them end: for the
     * signal samples, whose C handler runs on the interrupted thread where a Java handler runs
     * on a thread of its own (the calls it makes are the same, on another thread).
     */
    static List<Call> socketCallsInOrder(List<String> lines) {
        return socketCalls(lines, true).values().stream().findFirst().orElse(List.of());
    }

    private static Map<Integer, List<Call>> socketCalls(List<String> lines, boolean oneSequence) {
        List<Syscall> calls = syscalls(lines);
        // Replay the log in order. A new thread or process gets its descriptor table at its
        // clone's entry (it may run before the clone returns in the parent). A close counts at
        // its entry: the kernel frees the number as close begins, and another thread's accept
        // may be given it before strace prints close's result. Every other call counts at its
        // end, when its result is known.
        record Event(int line, boolean cloneEntry, Syscall call) {}
        List<Event> events = new ArrayList<>();
        for (Syscall c : calls) {
            if (CLONES.contains(c.name()) && childOf(c) > 0) events.add(new Event(c.entryLine(), true, c));
            events.add(new Event(c.name().equals("close") ? c.entryLine() : c.endLine(), false, c));
        }
        events.sort((a, b) -> a.line() != b.line() ? Integer.compare(a.line(), b.line()) : Boolean.compare(!a.cloneEntry(), !b.cloneEntry()));
        Map<Integer, Map<Integer, String>> tables = new HashMap<>();
        // Names are counted per descriptor table: a forked child starts from its parent's count at
        // the fork, so children that run at once do not take each other's numbers (threads,
        // which share the table, share the count).
        Map<Map<Integer, String>, int[]> counts = new java.util.IdentityHashMap<>();
        Map<Integer, List<Call>> byThread = new LinkedHashMap<>();
        for (Event e : events) {
            Syscall c = e.call();
            Map<Integer, String> table = tables.computeIfAbsent(c.tid(), t -> new HashMap<>());
            int[] created = counts.computeIfAbsent(table, t -> new int[1]);
            if (e.cloneEntry()) {
                if (c.args().contains("CLONE_FILES")) tables.put(childOf(c), table);
                else {
                    Map<Integer, String> copy = new HashMap<>(table);
                    tables.put(childOf(c), copy);
                    counts.put(copy, new int[] {created[0]});
                }
                continue;
            }
            Call kept = keep(c, table, created);
            if (kept == null) continue;
            byThread.computeIfAbsent(oneSequence ? 0 : c.tid(), t -> new ArrayList<>()).add(kept);
        }
        return byThread;
    }

    /** The new thread's or process's id a clone returned, or -1. */
    private static int childOf(Syscall clone) {
        Matcher m = LEADING_INT.matcher(clone.result());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The call as kept, or null when it is not on the sample's sockets; updates the table (descriptor -> its name). */
    private static Call keep(Syscall c, Map<Integer, String> table, int[] created) {
        String errno = errnoOf(c.result());
        String result = firstToken(c.result());
        if (CREATE.contains(c.name()) && !c.name().startsWith("accept")) {
            if (c.args().contains("CLOEXEC")) return null; // SOCK_CLOEXEC, EPOLL_CLOEXEC: glibc's own, never a sample's
            if (!errno.isEmpty()) return new Call(c.name(), args(c, table), result, errno);
            if (c.name().equals("socketpair")) {
                Matcher m = SET.matcher(c.args().replace(",", ""));
                while (m.find()) for (String fd : m.group(1).trim().split("\\s+")) if (!fd.isEmpty()) table.put(Integer.parseInt(fd), "fd" + ++created[0]);
                return new Call(c.name(), args(c, table), result, errno);
            }
            String name = "fd" + ++created[0];
            table.put(Integer.parseInt(result), name);
            return new Call(c.name(), args(c, table), name, errno);
        }
        if (!onTracked(c, table.keySet())) return null;
        String args = args(c, table); // before a close forgets the descriptor's name
        if (c.name().startsWith("accept") && errno.isEmpty()) {
            String name = "fd" + ++created[0];
            table.put(Integer.parseInt(result), name);
            return new Call(c.name(), args, name, errno);
        }
        if (c.name().equals("close")) table.remove(firstArg(c));
        return new Call(c.name(), args, result, errno);
    }

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"(?:\\.\\.\\.)?");
    private static final Pattern SOCKADDR = Pattern.compile("\\{sa_family=(\\w+)[^{}]*}");
    private static final Pattern POINTER = Pattern.compile("\\b0x[0-9a-f]+\\b");
    private static final Pattern FD_FIELD = Pattern.compile("\\b(fd|u32|u64)=(\\d+)");
    private static final Pattern FD_LIST = Pattern.compile("\\[(\\d+(?:[ ,]+\\d+)*)]");
    /** Calls whose bracketed lists are descriptors (elsewhere "[16]" is a length or a value). */
    private static final Set<String> FD_LISTS = Set.of("select", "pselect6", "socketpair");
    private static final Pattern CMSG_FDS = Pattern.compile("cmsg_data=\\[(\\d+(?:, \\d+)*)]");
    private static final Pattern TCP_INFO = Pattern.compile("\\{tcpi_state=(\\w+)[^{}]*}");

    /**
     * The arguments as strace printed them, less what depends on the run: buffer contents, ports
     * and addresses of a socket address (its family stays), pointers, descriptor numbers (each of
     * the sample's becomes its name), select's nfds, TCP_INFO's counters and timers (its state stays).
     */
    private static String args(Syscall c, Map<Integer, String> table) {
        String a = STRING.matcher(c.args()).replaceAll("\"...\"");
        a = SOCKADDR.matcher(a).replaceAll("{sa_family=$1}");
        a = TCP_INFO.matcher(a).replaceAll("{tcpi_state=$1, ...}");
        a = POINTER.matcher(a).replaceAll("0x?");
        a = FD_FIELD.matcher(a).replaceAll(m -> m.group(1) + "=" + Matcher.quoteReplacement(named(m.group(2), table)));
        if (FD_LISTS.contains(c.name())) a = FD_LIST.matcher(a).replaceAll(m -> Matcher.quoteReplacement("[" + String.join(" ",
                java.util.Arrays.stream(m.group(1).split("[ ,]+")).map(fd -> named(fd, table)).toList()) + "]"));
        a = CMSG_FDS.matcher(a).replaceAll(m -> Matcher.quoteReplacement("cmsg_data=[" + String.join(", ",
                java.util.Arrays.stream(m.group(1).split(", ")).map(fd -> named(fd, table)).toList()) + "]"));
        if (c.name().equals("select") || c.name().equals("pselect6")) return a.replaceFirst("^\\s*\\d+", "nfds");
        if (FIRST_ARG_FD.contains(c.name()) || c.name().equals("epoll_ctl")) {
            Matcher m = LEADING_INT.matcher(a);
            if (m.find()) a = named(m.group(1), table) + a.substring(m.end());
        }
        if (c.name().equals("epoll_ctl")) { // epoll_ctl(epfd, op, fd, event)
            String[] parts = a.split(", ", 4);
            if (parts.length >= 3) {
                parts[2] = named(parts[2].trim(), table);
                a = String.join(", ", parts);
            }
        }
        return a;
    }

    private static String named(String fd, Map<Integer, String> table) {
        try {
            int n = Integer.parseInt(fd.trim());
            // A descriptor no followed call made (a file, a signalfd): its number depends on what
            // else the process had open, and a JVM opens files of its own first. 0-2 and -1 stay.
            return table.getOrDefault(n, n >= 3 ? "fd?" : fd.trim());
        } catch (NumberFormatException notANumber) {
            return fd;
        }
    }

    private static boolean onTracked(Syscall c, Set<Integer> table) {
        if (FIRST_ARG_FD.contains(c.name())) return table.contains(firstArg(c));
        Matcher m;
        if (c.name().equals("select") || c.name().equals("pselect6")) {
            m = SET.matcher(c.args());
            while (m.find()) {
                for (String fd : m.group(1).trim().split("\\s+")) if (!fd.isEmpty() && table.contains(Integer.parseInt(fd))) return true;
            }
        } else if (c.name().equals("poll") || c.name().equals("ppoll")) {
            m = POLL_FD.matcher(c.args());
            while (m.find()) if (table.contains(Integer.parseInt(m.group(1)))) return true;
        }
        return false;
    }

    private static int firstArg(Syscall c) {
        Matcher m = LEADING_INT.matcher(c.args());
        return m.find() ? Integer.parseInt(m.group(1)) : Integer.MIN_VALUE;
    }

    private static String firstToken(String result) {
        String r = result.trim();
        int sp = r.indexOf(' ');
        return sp < 0 ? r : r.substring(0, sp);
    }

    private static String errnoOf(String result) {
        Matcher m = ERRNO.matcher(result.trim());
        return m.matches() ? m.group(1) : "";
    }

    /**
     * The finished calls of the log: a call strace split into "unfinished" and "resumed" is joined
     * again. A call without a result ("= ? ERESTARTSYS": a signal, SIGCHLD here, interrupted it and
     * the kernel restarts it; "= ?": the process ended during it) is not one the program saw.
     */
    private static List<Syscall> syscalls(List<String> lines) {
        List<Syscall> calls = new ArrayList<>();
        Map<Integer, String[]> pending = new HashMap<>(); // tid -> {name, args so far, entry line}
        for (int i = 0; i < lines.size(); i++) {
            Matcher p = PID.matcher(lines.get(i));
            if (!p.matches()) continue;
            int tid = Integer.parseInt(p.group(1));
            String rest = p.group(2);
            Matcher m;
            if ((m = UNFINISHED.matcher(rest)).matches()) {
                pending.put(tid, new String[] {m.group(1), m.group(2), String.valueOf(i)});
            } else if ((m = RESUMED.matcher(rest)).matches()) {
                String[] start = pending.remove(tid);
                if (start != null && start[0].equals(m.group(1)) && !m.group(3).startsWith("?")) {
                    calls.add(new Syscall(tid, start[0], start[1] + m.group(2), m.group(3), Integer.parseInt(start[2]), i));
                }
            } else if ((m = COMPLETE.matcher(rest)).matches() && !m.group(3).startsWith("?")) {
                calls.add(new Syscall(tid, m.group(1), m.group(2), m.group(3), i, i));
            }
        }
        return calls;
    }

    /**
     * The sequences of a run as the tests compare them: one line per thread that made a kept call,
     * its calls separated by "; ", the lines sorted. Every call is kept: nothing is merged.
     */
    static String comparable(Collection<List<Call>> threads) {
        return comparable(threads, true, true);
    }

    /**
     * As {@link #comparable(Collection)}, for a sample whose calls depend on timing, said by the
     * test for that sample. {@code countsMatter} false: every positive byte count a data call
     * returned becomes "n", and runs of the same call, which then differ only in how the kernel
     * happened to split the bytes, become one "(once or more)" entry; so do runs of the same
     * getsockopt(TCP_INFO), a loop that waits for a TCP state and asks as often as the state takes
     * to come (tcp-states). {@code waitsMatter} false also
     * leaves out the waits (poll, select, epoll_wait) and every call that failed with EAGAIN: for a
     * program that drains non-blocking sockets, how often a drain finds nothing left before the
     * next event comes depends on timing, and each such time adds an "EAGAIN, then wait".
     */
    static String comparable(Collection<List<Call>> threads, boolean countsMatter, boolean waitsMatter) {
        List<String> out = new ArrayList<>();
        for (List<Call> seq : threads) {
            List<String> calls = new ArrayList<>();
            for (Call c : seq) {
                if (!waitsMatter && (WAITS.contains(c.name()) || c.errno().equals("EAGAIN"))) continue;
                boolean timed = DATA.contains(c.name()) && c.result().matches("[1-9]\\d*");
                if (countsMatter || !(timed || isStatePoll(c))) {
                    calls.add(c.toString());
                    continue;
                }
                String n = new Call(c.name(), c.args(), timed ? "n" : c.result(), c.errno()).toString();
                String repeated = n + " (once or more)"; // whether once or ten times is the timing
                if (calls.isEmpty() || !calls.getLast().equals(repeated)) calls.add(repeated);
            }
            out.add(String.join("; ", calls));
        }
        out.sort(null);
        return String.join("\n", out);
    }

    /** getsockopt(fd, SOL_TCP, TCP_INFO, ...): asked in a loop until the connection reaches a state. */
    private static boolean isStatePoll(Call c) {
        return c.name().equals("getsockopt") && c.args().contains(", TCP_INFO, ");
    }

    private static final Set<String> WAITS = Set.of("poll", "ppoll", "select", "pselect6", "epoll_wait", "epoll_pwait");

    private static final Set<String> DATA = Set.of("read", "write", "readv", "writev", "send", "recv", "sendto", "recvfrom", "sendmsg", "recvmsg");
}
