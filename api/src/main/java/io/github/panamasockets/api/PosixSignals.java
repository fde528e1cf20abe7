package io.github.panamasockets.api;

import io.github.panamasockets.bindings.fd_set;
import io.github.panamasockets.bindings.itimerspec;
import io.github.panamasockets.bindings.itimerval;
import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.sigaction;
import io.github.panamasockets.bindings.sigevent;
import io.github.panamasockets.bindings.siginfo_t;
import io.github.panamasockets.bindings.sigset_t;
import io.github.panamasockets.bindings.sockets_h;
import io.github.panamasockets.bindings.timespec;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

import static io.github.panamasockets.api.Trace.hex;
import static io.github.panamasockets.api.Trace.num;

/**
 * Signals as a C socket program uses them, inside a JVM: {@code signal(SIGPIPE, SIG_IGN)},
 * sigaction with a handler written in Java, the sigset_t calls, sigprocmask, sigwait, signalfd,
 * raise/tgkill, pselect/ppoll, alarm and setitimer. Reached through
 * {@code import static io.github.panamasockets.api.Posix.*;}.
 *
 * <h2>What a C program observes is C's</h2>
 * <ul>
 * <li>A Java handler never runs inside the signal handler. The JVM's own async-signal-safe C
 *     handler takes the signal (what {@code sun.misc.Signal} installs) and a Java thread then runs
 *     the {@link SignalHandler}. The kernel's flags are the program's: with SA_RESTART clear, the
 *     blocking call the signal interrupts returns -1 EINTR; with SA_RESTART set, it restarts
 *     (calls that never restart, such as poll, select, epoll_wait and calls with a timeout, return
 *     EINTR either way, as in C). A facade call that returns EINTR first waits for the handler to
 *     finish (up to 5 seconds), so that the handler's output comes first, as in C.
 * <li>Signals reach the thread a single-threaded C program would interrupt: {@link #alarm} and
 *     {@link #setitimer}{@code (ITIMER_REAL)} use a per-thread timer (timer_create with
 *     SIGEV_THREAD_ID) aimed at the calling thread; {@link #raise} signals the calling thread. A
 *     process-directed signal (kill from a shell) goes to any JVM thread that does not block it,
 *     which is what a multi-threaded C process gets too; a thread that blocks a signal through
 *     {@link #sigprocmask}/{@link #pthread_sigmask} gets it forwarded (tgkill), so that signalfd,
 *     sigwait and sigpending on that thread see it, as in a one-thread C program. A forwarded
 *     signal's siginfo names this process as the sender (SI_TKILL).
 * <li>sigprocmask changes the calling thread's mask only (POSIX: in a multi-threaded process
 *     sigprocmask is pthread_sigmask); the JVM's own threads keep theirs.
 * </ul>
 *
 * <h2>What the facade refuses, with -1 EINVAL</h2>
 * What would break the JVM: changing the disposition of SIGSEGV, SIGBUS, SIGFPE, SIGILL (the JVM
 * turns faults into NullPointerException, safepoints and the like), SIGQUIT (thread dumps) or
 * SIGUSR2 (the JVM's suspend/resume signal), or of any signal that another C handler inside the
 * JVM owns; blocking SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGUSR2 or a real-time signal the JVM
 * owns (NIO's, SIGRTMAX-2 on JDK 25) in sigprocmask, pthread_sigmask, sigsuspend, pselect and
 * ppoll masks (so a {@code sigfillset} set is refused); raising or sending those to this
 * process; SIG_DFL for SIGPIPE and SIGXFSZ (a write to a closed peer or past a file size limit
 * would then kill the JVM, which relies on ignoring them); a handler address the facade never
 * reported for that signal (a raw C function pointer: use the raw bindings); a Java handler for a
 * real-time signal (the JVM's dispatch knows no names for them; SIG_IGN and SIG_DFL work).
 */
public abstract class PosixSignals extends PosixInterfaces {
    PosixSignals() {}

    /** C's {@code SIG_DFL}: the default action. */
    public static final MemorySegment SIG_DFL = MemorySegment.NULL;
    /** C's {@code SIG_IGN}: ignore the signal. */
    public static final MemorySegment SIG_IGN = MemorySegment.ofAddress(1);
    /** C's {@code SIG_ERR}: what {@link #signal} returns when it fails. */
    public static final MemorySegment SIG_ERR = MemorySegment.ofAddress(-1);

    /** Signals whose disposition belongs to the JVM. */
    static boolean jvmOwned(int sig) {
        return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGQUIT || sig == SIGUSR2;
    }

    /** Signals that a JVM thread must never block (SIGQUIT the JVM blocks itself on most of its threads). */
    static boolean mustNotBlock(int sig) {
        return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGUSR2;
    }

    private static boolean validSignal(int sig) {
        return sig >= 1 && sig < NSIG;
    }

    /** Whether the facade may change {@code sig}'s disposition: not the JVM's, not another C handler's. */
    private static boolean changeable(int sig) {
        if (jvmOwned(sig) || sig == SIGKILL || sig == SIGSTOP) return false;
        long h = JavaSignals.kernelHandler(sig);
        return h == 0 || h == 1 || sig == SIGHUP || sig == SIGINT || sig == SIGTERM || sig == SIGPIPE || sig == SIGXFSZ
                || JavaSignals.isKnown(sig, h);
    }

    /**
     * True when a sigset_t holds a signal no JVM thread may block: those of {@link #mustNotBlock},
     * and a real-time signal that a C handler inside the JVM owns (NIO's libnio interrupts a
     * thread blocked in a channel's I/O with one when another thread closes the channel).
     */
    private static boolean blocksJvmSignal(MemorySegment set) {
        for (int sig = 1; sig < NSIG; sig++) {
            if (sockets_h.sigismember(set, sig) != 1) continue;
            if (mustNotBlock(sig)) return true;
            if (sig >= SIGRTMIN() && !changeable(sig)) return true;
        }
        return false;
    }

    // ---- SIGRTMIN, SIGRTMAX: functions in glibc, not constants ---------------------------------

    /** {@code SIGRTMIN}: the lowest real-time signal glibc leaves to programs (a function call in C too). */
    public static int SIGRTMIN() {
        return sockets_h.__libc_current_sigrtmin();
    }

    /** {@code SIGRTMAX}: the highest real-time signal. */
    public static int SIGRTMAX() {
        return sockets_h.__libc_current_sigrtmax();
    }

    /** {@code const char *sigabbrev_np(int sig)}, strsignal(3): "TERM" for SIGTERM; null for a number that names no signal. */
    public static String sigabbrev_np(int sig) {
        String n = validSignal(sig) ? signalName(sig) : "";
        return n.startsWith("SIG") && !n.startsWith("SIG_") ? n.substring(3) : null;
    }

    // ---- dispositions ------------------------------------------------------------------------

    /**
     * {@code sighandler_t signal(int signum, sighandler_t handler)}, signal(2), with glibc's (BSD)
     * semantics: the handler stays installed and interrupted calls restart (SA_RESTART).
     * handler is {@link #SIG_IGN}, {@link #SIG_DFL}, or an address an earlier call returned for
     * this signal. Returns the previous handler, or {@link #SIG_ERR} with errno EINVAL (see the
     * class comment for what is refused). {@code signal(SIGPIPE, SIG_IGN)} ports verbatim.
     */
    public static MemorySegment signal(int signum, MemorySegment handler) {
        return signalReturning(signum, Memory.orNull(handler).address(), null); // Java null is C's NULL: SIG_DFL
    }

    /**
     * {@code signal(signum, handler)} with a handler written in Java: as {@link #signal(int, MemorySegment)},
     * SA_RESTART set. Returns the previous handler (as an address), or SIG_ERR with errno EINVAL.
     */
    public static MemorySegment signal(int signum, SignalHandler handler) {
        return signalReturning(signum, -1, handler);
    }

    private static MemorySegment signalReturning(int signum, long handler, SignalHandler java) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = sigaction.allocate(arena);
            int r = change(signum, handler, java, SA_RESTART, null, old);
            return r == -1 ? SIG_ERR : sa_handler(old);
        }
    }

    /**
     * {@code sigaction(signum, handler, flags)}: the handler form of sigaction(2), with a handler
     * written in Java (see {@link SignalHandler} for where it runs). flags: SA_RESTART (interrupted
     * calls restart; clear, they return -1 EINTR), SA_RESETHAND, SA_NODEFER, SA_NOCLDSTOP,
     * SA_NOCLDWAIT, SA_SIGINFO (accepted; the handler gets the signal number only).
     * Returns 0, or -1 with errno EINVAL (a signal the facade refuses, see the class comment;
     * SA_ONSTACK: the JVM's handler runs on the thread's own stack).
     */
    public static int sigaction(int signum, SignalHandler handler, int flags) {
        return change(signum, -1, handler, flags, null, MemorySegment.NULL);
    }

    /**
     * {@code int sigaction(int signum, const struct sigaction *act, struct sigaction *oldact)},
     * sigaction(2), on the generated {@code struct sigaction}. act may be NULL (a query) and its
     * sa_handler must be SIG_DFL, SIG_IGN or an address that an oldact of this facade gave for
     * the same signal (restoring what was there: the JVM's handler, or the Java handler the facade
     * last installed for it). oldact may be NULL. errno: EFAULT (a segment smaller than struct
     * sigaction), EINVAL (an invalid or refused signal, SA_ONSTACK, or a handler
     * address the facade never reported).
     * Refused by the facade before the call: act neither NULL nor a struct sigaction, oldact neither NULL nor a writable one -1 EFAULT (either may be any slice: the facade reads and writes them through an aligned copy).
     */
    public static int sigaction(int signum, MemorySegment act, MemorySegment oldact) {
        act = Memory.orNull(act);
        oldact = Memory.orNull(oldact);
        ThreadErrno e = ThreadErrno.current();
        if (!Memory.nullOrHolds(act, sigaction.sizeof()) || !Memory.nullOrWritable(oldact, sigaction.sizeof())) return e.refuse(EFAULT);
        Memory.accessibleNow(oldact); // the facade copies the old action into it after libc's call
        if (act.equals(MemorySegment.NULL)) {
            int r = validSignal(signum) ? query(signum, oldact) : e.refuse(EINVAL);
            if (Trace.on()) Trace.log("rt_sigaction", r, e.errno, signalName(signum), "NULL", r == 0 ? action(oldact) : hex(oldact), num(NSIG / 8));
            return r;
        }
        try (Arena arena = Arena.ofConfined()) {
            // read through an aligned copy: the caller's struct may be any slice, which the struct's getters refuse
            MemorySegment a = sigaction.allocate(arena).copyFrom(act.asSlice(0, sigaction.sizeof()));
            return change(signum, sa_handler(a).address(), null, sigaction.sa_flags(a), sigaction.sa_mask(a), oldact);
        }
    }

    private static int query(int signum, MemorySegment oldact) {
        if (oldact.equals(MemorySegment.NULL)) return 0;
        try (Arena arena = Arena.ofConfined()) {
            // libc writes an aligned struct of ours, copied out byte-wise: the caller's may be any slice
            MemorySegment old = sigaction.allocate(arena);
            sockets_h.sigaction(signum, MemorySegment.NULL, old);
            long h = sa_handler(old).address();
            if (JavaSignals.dispatching(signum) && JavaSignals.action(signum) instanceof JavaSignals.Default) {
                sa_handler(old, SIG_DFL); // C's SIG_DFL, which the facade carries out itself while a thread blocks the signal
            } else {
                JavaSignals.known(signum, h);
                JavaSignals.reported(signum, h);
            }
            MemorySegment.copy(old, 0, oldact, 0, sigaction.sizeof());
        } catch (IllegalStateException closedMeanwhile) {
            // another thread closed oldact's arena: nothing to write into
        }
        return 0;
    }

    /** Every way a disposition changes: checks, the old action into oldact, then the new one. */
    private static int change(int signum, long handler, SignalHandler java, int flags, MemorySegment mask, MemorySegment oldact) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (!validSignal(signum) || !changeable(signum) || (flags & SA_ONSTACK) != 0) r = e.refuse(EINVAL);
        else if (java == null && handler == 0 && (signum == SIGPIPE || signum == SIGXFSZ)) r = e.refuse(EINVAL);
        else if (java == null && handler != 0 && handler != 1 && !JavaSignals.isKnown(signum, handler)) r = e.refuse(EINVAL);
        else if (java != null && !sun_misc_names(signum)) r = e.refuse(EINVAL);
        else {
            query(signum, oldact);
            int f = flags;
            if (java != null) r = JavaSignals.take(signum, new JavaSignals.Java(java), f);
            // SIG_DFL while a thread blocks it: the facade carries it out, to forward the signal there (a real-time one it never forwards)
            else if (handler == 0 && JavaSignals.blocked(signum) && sun_misc_names(signum)) r = JavaSignals.take(signum, new JavaSignals.Default(), f);
            else {
                JavaSignals.restore(signum, handler, f, mask);
                r = 0;
            }
            if (r != 0) r = e.refuse(r);
        }
        if (Trace.on()) Trace.log("rt_sigaction", r, e.errno, signalName(signum),
                "{sa_handler=" + (java != null ? "<java handler>" : handlerName(handler)) + ", sa_flags=" + Names.flags("SA_", flags) + "}",
                oldact.equals(MemorySegment.NULL) ? "NULL" : r == 0 ? action(oldact) : hex(oldact), num(NSIG / 8));
        return r;
    }

    /** Whether the JVM's dispatch has a name for this signal (not for real-time signals). */
    private static boolean sun_misc_names(int sig) {
        return sig < SIGRTMIN();
    }

    private static String handlerName(long h) {
        return h == 0 ? "SIG_DFL" : h == 1 ? "SIG_IGN" : "0x" + Long.toHexString(h);
    }

    private static String action(MemorySegment act) {
        if (!Trace.readable(act, sigaction.sizeof())) return hex(act);
        try { // unaligned: any slice the caller passed; the trace runs after the call and must not throw
            return "{sa_handler=" + handlerName(act.get(ValueLayout.JAVA_LONG_UNALIGNED, sigaction.__sigaction_handler$offset()))
                    + ", sa_flags=" + Names.flags("SA_", act.get(ValueLayout.JAVA_INT_UNALIGNED, sigaction.sa_flags$offset())) + "}";
        } catch (IllegalStateException closedMeanwhile) {
            return hex(act);
        }
    }

    /**
     * {@code int siginterrupt(int sig, int flag)}, siginterrupt(3): flag 1, calls the signal
     * interrupts return EINTR (SA_RESTART cleared); 0, they restart. The handler stays.
     * errno: EINVAL (an invalid or refused signal).
     */
    public static int siginterrupt(int sig, int flag) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (!validSignal(sig) || !changeable(sig)) r = e.refuse(EINVAL);
        else {
            synchronized (JavaSignals.class) {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment act = sigaction.allocate(arena);
                    sockets_h.sigaction(sig, MemorySegment.NULL, act);
                    int f = sigaction.sa_flags(act);
                    sigaction.sa_flags(act, flag != 0 ? f & ~SA_RESTART : f | SA_RESTART);
                    sockets_h.sigaction(sig, act, MemorySegment.NULL);
                }
            }
            r = 0;
        }
        if (Trace.on()) Trace.log("siginterrupt", r, e.errno, signalName(sig), num(flag));
        return r;
    }

    // ---- sigset_t ----------------------------------------------------------------------------

    private static final class Sigemptyset { static final Link.Shared H = Link.shared(sockets_h.sigemptyset$address(), sockets_h.sigemptyset$descriptor()); }
    private static final class Sigfillset { static final Link.Shared H = Link.shared(sockets_h.sigfillset$address(), sockets_h.sigfillset$descriptor()); }
    private static final class Sigaddset { static final Link.Shared H = Link.shared(sockets_h.sigaddset$address(), sockets_h.sigaddset$descriptor()); }
    private static final class Sigdelset { static final Link.Shared H = Link.shared(sockets_h.sigdelset$address(), sockets_h.sigdelset$descriptor()); }
    private static final class Sigismember { static final Link.Shared H = Link.shared(sockets_h.sigismember$address(), sockets_h.sigismember$descriptor()); }

    /**
     * {@code int sigemptyset(sigset_t *set)}, sigsetops(3). errno: EFAULT (a segment smaller than sigset_t).
     * Refused by the facade before the call: set not a writable sigset_t -1 EFAULT (the same for sigfillset, sigaddset, sigdelset).
     */
    public static int sigemptyset(MemorySegment set) {
        set = Memory.orNull(set);
        ThreadErrno e = ThreadErrno.current();
        if (!Memory.writable(set, sigset_t.sizeof())) return e.refuse(EFAULT);
        return done(e, (int) Link.call(Sigemptyset.H, e.capture, set));
    }

    /**
     * {@code int sigfillset(sigset_t *set)}, sigsetops(3): every signal (glibc leaves out its own two). errno: EFAULT.
     * Refused by the facade before the call: set not a writable sigset_t -1 EFAULT.
     */
    public static int sigfillset(MemorySegment set) {
        set = Memory.orNull(set);
        ThreadErrno e = ThreadErrno.current();
        if (!Memory.writable(set, sigset_t.sizeof())) return e.refuse(EFAULT);
        return done(e, (int) Link.call(Sigfillset.H, e.capture, set));
    }

    /**
     * {@code int sigaddset(sigset_t *set, int signum)}, sigsetops(3). errno: EFAULT, EINVAL (not a signal, or one glibc keeps).
     * Refused by the facade before the call: set not a writable sigset_t -1 EFAULT.
     */
    public static int sigaddset(MemorySegment set, int signum) {
        set = Memory.orNull(set);
        ThreadErrno e = ThreadErrno.current();
        if (!Memory.writable(set, sigset_t.sizeof())) return e.refuse(EFAULT);
        return done(e, (int) Link.call(Sigaddset.H, e.capture, set, signum));
    }

    /**
     * {@code int sigdelset(sigset_t *set, int signum)}, sigsetops(3). errno: EFAULT, EINVAL.
     * Refused by the facade before the call: set not a writable sigset_t -1 EFAULT.
     */
    public static int sigdelset(MemorySegment set, int signum) {
        set = Memory.orNull(set);
        ThreadErrno e = ThreadErrno.current();
        if (!Memory.writable(set, sigset_t.sizeof())) return e.refuse(EFAULT);
        return done(e, (int) Link.call(Sigdelset.H, e.capture, set, signum));
    }

    /**
     * {@code int sigismember(const sigset_t *set, int signum)}, sigsetops(3): 1, 0, or -1 with errno EFAULT or EINVAL.
     * Refused by the facade before the call: set not a sigset_t -1 EFAULT.
     */
    public static int sigismember(MemorySegment set, int signum) {
        set = Memory.orNull(set);
        ThreadErrno e = ThreadErrno.current();
        if (!Memory.holds(set, sigset_t.sizeof())) return e.refuse(EFAULT);
        return done(e, (int) Link.call(Sigismember.H, e.capture, set, signum));
    }

    // ---- masks -------------------------------------------------------------------------------

    private static final class PthreadSigmask { static final MethodHandle H = Link.plain(sockets_h.pthread_sigmask$address(), sockets_h.pthread_sigmask$descriptor()); }

    /**
     * {@code int sigprocmask(int how, const sigset_t *set, sigset_t *oldset)}, sigprocmask(2):
     * the calling thread's mask (the JVM is multi-threaded; see the class comment). how:
     * SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK. set and oldset may be NULL. errno: EFAULT, EINVAL
     * (a bad how, or a set that would block SIGSEGV, SIGBUS, SIGFPE, SIGILL or SIGUSR2).
     * Refused by the facade before the call: set neither NULL nor a sigset_t, oldset neither NULL nor a writable one -1 EFAULT; a bad how, or a set blocking a signal the JVM needs, -1 EINVAL.
     */
    public static int sigprocmask(int how, MemorySegment set, MemorySegment oldset) {
        set = Memory.orNull(set);
        oldset = Memory.orNull(oldset);
        ThreadErrno e = ThreadErrno.current();
        int err = mask(how, set, oldset);
        int r = err == 0 ? 0 : e.refuse(err);
        if (Trace.on()) Trace.log("rt_sigprocmask", r, e.errno, Names.value("SIG_", how), sigset(set), r == 0 ? sigset(oldset) : hex(oldset), num(NSIG / 8));
        return r;
    }

    /**
     * {@code int pthread_sigmask(int how, const sigset_t *set, sigset_t *oldset)}, pthread_sigmask(3):
     * as {@link #sigprocmask}, but returns 0 or the error number (EFAULT, EINVAL) and leaves errno alone.
     * Refused by the facade before the call: as sigprocmask, returned: EFAULT, EINVAL.
     */
    public static int pthread_sigmask(int how, MemorySegment set, MemorySegment oldset) {
        set = Memory.orNull(set);
        oldset = Memory.orNull(oldset);
        int err = mask(how, set, oldset);
        if (Trace.on()) Trace.LOG.debug("pthread_sigmask({}, {}, {}) = {}", Names.value("SIG_", how), sigset(set), sigset(oldset),
                err == 0 ? "0" : err + " " + Errors.name(err) + " (" + Errors.message(err) + ")");
        return err;
    }

    private static int mask(int how, MemorySegment set, MemorySegment oldset) {
        if (!Memory.nullOrHolds(set, sigset_t.sizeof()) || !Memory.nullOrWritable(oldset, sigset_t.sizeof())) return EFAULT;
        boolean setting = !set.equals(MemorySegment.NULL);
        if (setting && how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK) return EINVAL;
        if (setting && how != SIG_UNBLOCK && blocksJvmSignal(set)) return EINVAL;
        int tid = gettid();
        List<Integer> blocking = new ArrayList<>(), unblocking = new ArrayList<>();
        if (setting) {
            for (int sig = 1; sig < NSIG; sig++) {
                boolean in = sockets_h.sigismember(set, sig) == 1;
                if (how != SIG_UNBLOCK && in) blocking.add(sig);
                else if ((how == SIG_UNBLOCK && in) || (how == SIG_SETMASK && !in)) unblocking.add(sig);
            }
        }
        // Forwarding in place before the signal is blocked, so that none reaches another thread's default action.
        for (int sig : blocking) if (sig != SIGKILL && sig != SIGSTOP && changeable(sig)) JavaSignals.blockedBy(sig, tid);
        int err;
        try { err = (int) PthreadSigmask.H.invokeExact(how, set, oldset); } catch (Throwable t) { throw Link.rethrow(t); }
        if (err == 0) for (int sig : unblocking) JavaSignals.unblockedBy(sig, tid);
        return err;
    }

    private static final class Sigpending { static final Link.Shared H = Link.shared(sockets_h.sigpending$address(), sockets_h.sigpending$descriptor()); }

    /**
     * {@code int sigpending(sigset_t *set)}, sigpending(2): the signals pending on this thread or the process. errno: EFAULT.
     * Refused by the facade before the call: set not a writable sigset_t -1 EFAULT.
     */
    public static int sigpending(MemorySegment set) {
        set = Memory.orNull(set);
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (!Memory.writable(set, sigset_t.sizeof())) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(Sigpending.H, e.capture, set));
        if (Trace.on()) Trace.log("rt_sigpending", r, e.errno, r == 0 ? sigset(set) : hex(set), num(NSIG / 8));
        return r;
    }

    private static final class Sigsuspend { static final Link.Shared H = Link.shared(sockets_h.sigsuspend$address(), sockets_h.sigsuspend$descriptor()); }

    /**
     * {@code int sigsuspend(const sigset_t *mask)}, sigsuspend(2): waits with mask as the thread's
     * mask until a signal's handler has run (C's race-free pause: block the signal, test the
     * condition, sigsuspend with the old mask). Always returns -1: errno EINTR, or EFAULT, or
     * EINVAL (a mask that blocks a signal the JVM needs).
     * Refused by the facade before the call: mask not a sigset_t -1 EFAULT.
     */
    public static int sigsuspend(MemorySegment mask) {
        mask = Memory.orNull(mask);
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (!Memory.holds(mask, sigset_t.sizeof())) r = e.refuse(EFAULT);
        else if (blocksJvmSignal(mask)) r = e.refuse(EINVAL);
        else {
            JavaSignals.Wait w = JavaSignals.suspendBlocks(gettid(), mask, SYS_rt_sigsuspend);
            int raw;
            try { raw = (int) Link.call(Sigsuspend.H, e.capture, mask); } finally { w.returned = true; }
            r = done(e, raw);
            JavaSignals.resumeBlocks(w);
        }
        if (Trace.on()) Trace.log("rt_sigsuspend", r, e.errno, sigset(mask), num(NSIG / 8));
        return r;
    }

    // ---- waiting for signals -----------------------------------------------------------------

    private static final class Sigwait { static final MethodHandle H = Link.plain(sockets_h.sigwait$address(), sockets_h.sigwait$descriptor()); }

    /**
     * {@code int sigwait(const sigset_t *set, int *sig)}, sigwait(3); blocks until a signal of set
     * is pending (block them first), takes it and stores its number. Returns 0 or an error number
     * (EFAULT, EINVAL), leaving errno alone.
     * Refused by the facade before the call: set not a sigset_t, or sig not a writable int, EFAULT (returned).
     */
    public static int sigwait(MemorySegment set, MemorySegment sig) {
        set = Memory.orNull(set);
        sig = Memory.orNull(sig);
        int err;
        if (!Memory.holds(set, sigset_t.sizeof()) || !Memory.writable(sig, Integer.BYTES)) err = EFAULT;
        else try { err = (int) Sigwait.H.invokeExact(set, sig); } catch (Throwable t) { throw Link.rethrow(t); }
        if (Trace.on()) Trace.LOG.debug("sigwait({}, {}) = {}", sigset(set), err == 0 ? Trace.intAt(sig) : hex(sig),
                err == 0 ? "0" : err + " " + Errors.name(err) + " (" + Errors.message(err) + ")");
        return err;
    }

    private static final class Sigwaitinfo { static final Link.Shared H = Link.shared(sockets_h.sigwaitinfo$address(), sockets_h.sigwaitinfo$descriptor()); }

    /**
     * {@code int sigwaitinfo(const sigset_t *set, siginfo_t *info)}, sigwaitinfo(2); blocks. info may be NULL. Returns the signal, or -1.
     * Refused by the facade before the call, -1 EFAULT: set not a sigset_t, info not NULL nor a writable siginfo_t.
     * errno: EFAULT, EINTR.
     */
    public static int sigwaitinfo(MemorySegment set, MemorySegment info) {
        set = Memory.orNull(set);
        info = Memory.orNull(info);
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (!Memory.holds(set, sigset_t.sizeof()) || !Memory.nullOrWritable(info, siginfo_t.sizeof())) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(Sigwaitinfo.H, e.capture, set, info));
        if (Trace.on()) Trace.log("rt_sigtimedwait", r, e.errno, sigset(set), r > 0 ? siginfo(info) : hex(info), "NULL", num(NSIG / 8));
        return r;
    }

    private static final class Sigtimedwait { static final Link.Shared H = Link.shared(sockets_h.sigtimedwait$address(), sockets_h.sigtimedwait$descriptor()); }

    /**
     * {@code int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)},
     * sigtimedwait(2); blocks up to timeout (NULL: forever). Returns the signal, or -1.
     * Refused by the facade before the call, -1 EFAULT: set not a sigset_t, info not NULL nor a
     * writable siginfo_t (a read-only segment included), timeout not NULL nor a struct timespec.
     * errno: EAGAIN (timed out), EFAULT, EINTR, EINVAL (a bad timeout).
     */
    public static int sigtimedwait(MemorySegment set, MemorySegment info, MemorySegment timeout) {
        set = Memory.orNull(set);
        info = Memory.orNull(info);
        timeout = Memory.orNull(timeout);
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (!Memory.holds(set, sigset_t.sizeof()) || !Memory.nullOrWritable(info, siginfo_t.sizeof())
                || !Memory.nullOrHolds(timeout, timespec.sizeof())) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(Sigtimedwait.H, e.capture, set, info, timeout));
        if (Trace.on()) Trace.log("rt_sigtimedwait", r, e.errno, sigset(set), r > 0 ? siginfo(info) : hex(info), Trace.timespec(timeout), num(NSIG / 8));
        return r;
    }

    private static final class Signalfd { static final Link.Shared H = Link.shared(sockets_h.signalfd$address(), sockets_h.signalfd$descriptor()); }

    /**
     * {@code int signalfd(int fd, const sigset_t *mask, int flags)}, signalfd(2): a descriptor
     * that reads a {@code struct signalfd_siginfo} per pending signal of mask (block them first;
     * see the class comment for process-directed signals). fd -1 makes a new one. flags:
     * SFD_NONBLOCK, SFD_CLOEXEC. errno: EBADF, EFAULT, EINVAL, EMFILE, ENFILE, ENODEV, ENOMEM.
     * Refused by the facade before the call: mask not a sigset_t -1 EFAULT.
     */
    public static int signalfd(int fd, MemorySegment mask, int flags) {
        mask = Memory.orNull(mask);
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (!Memory.holds(mask, sigset_t.sizeof())) r = e.refuse(EFAULT);
        else r = done(e, (int) Link.call(Signalfd.H, e.capture, fd, mask, flags));
        if (Trace.on()) Trace.log("signalfd4", r, e.errno, num(fd), sigset(mask), num(NSIG / 8), Names.flags("SFD_", flags));
        return r;
    }

    // ---- sending -----------------------------------------------------------------------------

    private static final class Gettid { static final MethodHandle H = Link.plain(sockets_h.gettid$address(), sockets_h.gettid$descriptor()); }

    /** {@code pid_t gettid(void)}, gettid(2): this thread's kernel id (what tgkill and SIGEV_THREAD_ID take). Never fails. */
    public static int gettid() {
        try { return (int) Gettid.H.invokeExact(); } catch (Throwable t) { throw Link.rethrow(t); }
    }

    private static final class Tgkill { static final Link.Shared H = Link.shared(sockets_h.tgkill$address(), sockets_h.tgkill$descriptor()); }

    /**
     * {@code int tgkill(pid_t tgid, pid_t tid, int sig)}, tgkill(2): sig to one thread. errno:
     * EAGAIN, EINVAL (also SIGSEGV, SIGBUS, SIGFPE, SIGILL or SIGUSR2 to a thread of this JVM),
     * EPERM, ESRCH.
     */
    public static int tgkill(int tgid, int tid, int sig) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (tgid == Posix.getpid() && mustNotBlock(sig)) r = e.refuse(EINVAL);
        else r = done(e, (int) Link.call(Tgkill.H, e.capture, tgid, tid, sig));
        if (Trace.on()) Trace.log("tgkill", r, e.errno, num(tgid), num(tid), signalName(sig));
        return r;
    }

    /** The facade's own forwarding of a signal to a thread of this process; 0 or -1, errno untouched. */
    static int forward(int tid, int sig) {
        return sockets_h.tgkill(Posix.getpid(), tid, sig);
    }

    /**
     * {@code int raise(int sig)}, raise(3): sig to the calling thread, as in C (glibc's raise is
     * tgkill to itself). A handler's Java code runs on another thread, after raise has returned.
     * errno: EINVAL (not a signal; SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGUSR2).
     */
    public static int raise(int sig) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (mustNotBlock(sig)) r = e.refuse(EINVAL);
        else r = done(e, (int) Link.call(Tgkill.H, e.capture, Posix.getpid(), gettid(), sig));
        if (Trace.on()) Trace.log("tgkill", r, e.errno, num(Posix.getpid()), num(gettid()), signalName(sig));
        return r;
    }

    // ---- waiting with a signal mask ----------------------------------------------------------

    private static final class Pselect { static final MethodHandle H = Link.capturingErrno(sockets_h.pselect$address(), sockets_h.pselect$descriptor()); }

    /**
     * {@code int pselect(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const struct timespec *timeout,
     * const sigset_t *sigmask)}, pselect(2); blocks with sigmask as the thread's mask for the wait
     * (NULL: unchanged), so that a signal unblocked only there interrupts it with EINTR, race-free.
     * errno: EBADF, EFAULT, EINTR, EINVAL (also a mask that blocks a signal the JVM needs), ENOMEM.
     * Refused by the facade before the call: nfds outside 0..FD_SETSIZE -1 EINVAL; a set neither NULL nor a writable fd_set, timeout or sigmask neither NULL nor their struct -1 EFAULT.
     */
    public static int pselect(int nfds, MemorySegment readfds, MemorySegment writefds, MemorySegment exceptfds, MemorySegment timeout, MemorySegment sigmask) {
        readfds = Memory.orNull(readfds);
        writefds = Memory.orNull(writefds);
        exceptfds = Memory.orNull(exceptfds);
        timeout = Memory.orNull(timeout);
        sigmask = Memory.orNull(sigmask);
        ThreadErrno e = ThreadErrno.current();
        String before = Trace.on() ? Trace.fdSet(readfds, nfds) + ", " + Trace.fdSet(writefds, nfds) + ", " + Trace.fdSet(exceptfds, nfds)
                + ", " + Trace.timespec(timeout) + ", " + sigset(sigmask) : null;
        int r;
        long setSize = fd_set.sizeof();
        if (nfds < 0 || nfds > FD_SETSIZE) r = e.refuse(EINVAL);
        else if (!Memory.nullOrWritable(readfds, setSize) || !Memory.nullOrWritable(writefds, setSize) || !Memory.nullOrWritable(exceptfds, setSize)
                || !Memory.nullOrHolds(timeout, timespec.sizeof()) || !Memory.nullOrHolds(sigmask, sigset_t.sizeof())) r = e.refuse(EFAULT);
        else if (!sigmask.equals(MemorySegment.NULL) && blocksJvmSignal(sigmask)) r = e.refuse(EINVAL);
        else {
            JavaSignals.Wait w = sigmask.equals(MemorySegment.NULL) ? null : JavaSignals.suspendBlocks(gettid(), sigmask, SYS_pselect6);
            int raw;
            try { raw = (int) Pselect.H.invokeExact(e.capture, nfds, readfds, writefds, exceptfds, timeout, sigmask); }
            catch (Throwable t) { throw Link.rethrow(t); }
            finally { if (w != null) w.returned = true; }
            r = done(e, raw);
            if (w != null) JavaSignals.resumeBlocks(w);
        }
        if (Trace.on()) Trace.log("pselect6", r, e.errno, num(nfds), before);
        return r;
    }

    private static final class Ppoll { static final Link.Shared H = Link.shared(sockets_h.ppoll$address(), sockets_h.ppoll$descriptor()); }

    /**
     * {@code int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *tmo_p, const sigset_t *sigmask)},
     * ppoll(2); blocks (tmo_p NULL: forever) with sigmask as the thread's mask for the wait.
     * errno: EFAULT, EINTR, EINVAL (also a mask that blocks a signal the JVM needs), ENOMEM.
     * Refused by the facade before the call: nfds negative -1 EINVAL; fds not nfds writable struct pollfd (the kernel writes revents), tmo_p or sigmask neither NULL nor their struct -1 EFAULT.
     */
    public static int ppoll(MemorySegment fds, long nfds, MemorySegment tmo_p, MemorySegment sigmask) {
        fds = Memory.orNull(fds);
        tmo_p = Memory.orNull(tmo_p);
        sigmask = Memory.orNull(sigmask);
        ThreadErrno e = ThreadErrno.current();
        int r;
        boolean fits = nfds >= 0 && nfds <= Integer.MAX_VALUE / pollfd.sizeof() && Memory.writable(fds, nfds * pollfd.sizeof()); // the kernel writes revents
        String before = Trace.on() && fits ? Trace.pollfds(fds, nfds, false) : null;
        if (!fits) r = e.refuse(nfds < 0 ? EINVAL : EFAULT);
        else if (!Memory.nullOrHolds(tmo_p, timespec.sizeof()) || !Memory.nullOrHolds(sigmask, sigset_t.sizeof())) r = e.refuse(EFAULT);
        else if (!sigmask.equals(MemorySegment.NULL) && blocksJvmSignal(sigmask)) r = e.refuse(EINVAL);
        else {
            JavaSignals.Wait w = sigmask.equals(MemorySegment.NULL) ? null : JavaSignals.suspendBlocks(gettid(), sigmask, SYS_ppoll);
            int raw;
            try { raw = (int) Link.call(Ppoll.H, e.capture, fds, nfds, tmo_p, sigmask); } finally { if (w != null) w.returned = true; }
            r = done(e, raw);
            if (w != null) JavaSignals.resumeBlocks(w);
        }
        if (Trace.on()) Trace.logWithOutput("ppoll", r, e.errno, r > 0 ? Trace.pollfds(fds, nfds, true) : r == 0 ? "Timeout" : null,
                before == null ? hex(fds) : before, num(nfds), Trace.timespec(tmo_p), sigset(sigmask), num(NSIG / 8));
        return r;
    }

    // ---- timers ------------------------------------------------------------------------------

    /**
     * The process's one ITIMER_REAL, as alarm and setitimer share it in C, made of a POSIX timer
     * aimed at the thread that last set it (SIGEV_THREAD_ID): a process-directed SIGALRM would
     * reach any of the JVM's threads, rarely the one blocked in the call it is meant to interrupt.
     */
    private static final class RealTimer {
        static final MemorySegment TIMER = Arena.global().allocate(sockets_h.timer_t);
        static int tid;          // the thread it signals; 0 before the first
        static boolean created;

        /** Sets the timer for the calling thread (a zero value disarms); the old setting goes into old (may be NULL). */
        static synchronized int set(ThreadErrno e, MemorySegment value, MemorySegment old) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment before = itimerspec.allocate(arena);
                if (created) sockets_h.timer_gettime(TIMER.get(sockets_h.timer_t, 0), before);
                if (!old.equals(MemorySegment.NULL)) old.copyFrom(before);
                boolean arming = timespec.tv_sec(itimerspec.it_value(value)) != 0 || timespec.tv_nsec(itimerspec.it_value(value)) != 0;
                // From a Java handler (another thread), alarm keeps aiming where the signal went, as C's handler runs on that thread.
                int self = created && JavaSignals.inHandler() ? tid : gettid();
                if (arming && (!created || tid != self)) {
                    if (created) sockets_h.timer_delete(TIMER.get(sockets_h.timer_t, 0));
                    created = false;
                    MemorySegment ev = sigevent.allocate(arena);
                    sigevent.sigev_notify(ev, SIGEV_THREAD_ID);
                    sigevent.sigev_signo(ev, SIGALRM);
                    sigevent._sigev_un._tid(sigevent._sigev_un(ev), self);
                    int r;
                    r = done(e, (int) Link.call(TimerCreate.H, e.capture, CLOCK_MONOTONIC, ev, TIMER));
                    if (r == -1) return -1;
                    created = true;
                    tid = self;
                }
                if (!created) return 0;
                int r;
                r = done(e, (int) Link.call(TimerSettime.H, e.capture, TIMER.get(sockets_h.timer_t, 0), 0, value, MemorySegment.NULL));
                return r;
            }
        }

        static synchronized void get(MemorySegment now) {
            if (created) sockets_h.timer_gettime(TIMER.get(sockets_h.timer_t, 0), now);
            else now.fill((byte) 0);
        }
    }

    private static final class TimerCreate { static final Link.Shared H = Link.shared(sockets_h.timer_create$address(), sockets_h.timer_create$descriptor()); }
    private static final class TimerSettime { static final Link.Shared H = Link.shared(sockets_h.timer_settime$address(), sockets_h.timer_settime$descriptor()); }
    private static final class Setitimer { static final Link.Shared H = Link.shared(sockets_h.setitimer$address(), sockets_h.setitimer$descriptor()); }
    private static final class Getitimer { static final Link.Shared H = Link.shared(sockets_h.getitimer$address(), sockets_h.getitimer$descriptor()); }

    /**
     * {@code unsigned int alarm(unsigned int seconds)}, alarm(2): SIGALRM to the calling thread
     * after seconds (0 cancels), replacing any earlier alarm or ITIMER_REAL. Returns the seconds
     * that were left of the earlier one (rounded as the kernel rounds), 0 if none. Unlike C's, the
     * signal is aimed at the calling thread (a per-thread timer), where a single-threaded C
     * process has only that thread; see the class comment. Called from a Java handler, it keeps
     * aiming at the thread the timer signals (C's handler runs on that thread). On a virtual
     * thread the signal goes to its carrier, which the blocking call pins. Never fails.
     */
    public static int alarm(int seconds) {
        ThreadErrno e = ThreadErrno.current();
        int left;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = itimerspec.allocate(arena);
            timespec.tv_sec(itimerspec.it_value(value), Integer.toUnsignedLong(seconds));
            MemorySegment old = itimerspec.allocate(arena);
            int saved = e.errno;
            RealTimer.set(e, value, old);
            e.errno = saved; // alarm never fails
            long sec = timespec.tv_sec(itimerspec.it_value(old));
            long nsec = timespec.tv_nsec(itimerspec.it_value(old));
            left = (int) (sec + (nsec >= 500_000_000L || (sec == 0 && nsec > 0) ? 1 : 0));
        }
        if (Trace.on()) Trace.log("alarm", Integer.toUnsignedLong(left), 0, Integer.toUnsignedString(seconds));
        return left;
    }

    /**
     * {@code int setitimer(int which, const struct itimerval *new_value, struct itimerval *old_value)},
     * setitimer(2). ITIMER_REAL is alarm's timer, aimed at the calling thread as {@link #alarm} is;
     * ITIMER_VIRTUAL and ITIMER_PROF count the whole JVM's CPU time and signal the process.
     * old_value may be NULL. errno: EFAULT, EINVAL (a bad which, tv_usec outside 0..999999).
     * Refused by the facade before the call: new_value not a struct itimerval, old_value neither NULL nor a writable one -1 EFAULT.
     */
    public static int setitimer(int which, MemorySegment new_value, MemorySegment old_value) {
        new_value = Memory.orNull(new_value);
        old_value = Memory.orNull(old_value);
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (!Memory.holds(new_value, itimerval.sizeof()) || !Memory.nullOrWritable(old_value, itimerval.sizeof())) r = e.refuse(EFAULT);
        else if (which != ITIMER_REAL) {
            r = done(e, (int) Link.call(Setitimer.H, e.capture, which, new_value, old_value));
        } else if (!validTimeval(itimerval.it_value(new_value)) || !validTimeval(itimerval.it_interval(new_value))) r = e.refuse(EINVAL);
        else {
            Memory.accessibleNow(old_value); // the facade writes it after the timer call
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment value = itimerspec.allocate(arena);
                toTimespec(itimerval.it_value(new_value), itimerspec.it_value(value));
                toTimespec(itimerval.it_interval(new_value), itimerspec.it_interval(value));
                MemorySegment old = itimerspec.allocate(arena);
                r = RealTimer.set(e, value, old);
                if (r == 0 && !old_value.equals(MemorySegment.NULL)) toItimerval(old, old_value);
            }
        }
        if (Trace.on()) Trace.log("setitimer", r, e.errno, Names.value("ITIMER_", which), itimervalText(new_value), r == 0 ? itimervalText(old_value) : hex(old_value));
        return r;
    }

    /**
     * {@code int getitimer(int which, struct itimerval *curr_value)}, getitimer(2). errno: EFAULT, EINVAL.
     * Refused by the facade before the call: curr_value not a writable struct itimerval -1 EFAULT.
     */
    public static int getitimer(int which, MemorySegment curr_value) {
        curr_value = Memory.orNull(curr_value);
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (!Memory.writable(curr_value, itimerval.sizeof())) r = e.refuse(EFAULT);
        else if (which != ITIMER_REAL) {
            r = done(e, (int) Link.call(Getitimer.H, e.capture, which, curr_value));
        } else {
            Memory.accessibleNow(curr_value); // the facade writes it after reading the timer
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment now = itimerspec.allocate(arena);
                RealTimer.get(now);
                toItimerval(now, curr_value);
                r = 0;
            }
        }
        if (Trace.on()) Trace.log("getitimer", r, e.errno, Names.value("ITIMER_", which), r == 0 ? itimervalText(curr_value) : hex(curr_value));
        return r;
    }

    // the caller's struct itimerval read and written unaligned: it may be any slice
    private static long tvSec(MemorySegment tv) { return tv.get(ValueLayout.JAVA_LONG_UNALIGNED, io.github.panamasockets.bindings.timeval.tv_sec$offset()); }
    private static long tvUsec(MemorySegment tv) { return tv.get(ValueLayout.JAVA_LONG_UNALIGNED, io.github.panamasockets.bindings.timeval.tv_usec$offset()); }

    private static boolean validTimeval(MemorySegment tv) {
        long usec = tvUsec(tv);
        return tvSec(tv) >= 0 && usec >= 0 && usec < 1_000_000;
    }

    private static void toTimespec(MemorySegment tv, MemorySegment ts) {
        timespec.tv_sec(ts, tvSec(tv));
        timespec.tv_nsec(ts, tvUsec(tv) * 1000);
    }

    /** The kernel's rounding: a timer that is still running never reads as 0 microseconds. */
    private static void toItimerval(MemorySegment spec, MemorySegment val) {
        for (boolean value : new boolean[] {true, false}) {
            MemorySegment ts = value ? itimerspec.it_value(spec) : itimerspec.it_interval(spec);
            MemorySegment tv = value ? itimerval.it_value(val) : itimerval.it_interval(val);
            long sec = timespec.tv_sec(ts), nsec = timespec.tv_nsec(ts);
            long usec = (nsec + 999) / 1000;
            if (usec == 1_000_000) { sec++; usec = 0; }
            try {
                tv.set(ValueLayout.JAVA_LONG_UNALIGNED, io.github.panamasockets.bindings.timeval.tv_sec$offset(), sec);
                tv.set(ValueLayout.JAVA_LONG_UNALIGNED, io.github.panamasockets.bindings.timeval.tv_usec$offset(), usec);
            } catch (IllegalStateException closedMeanwhile) {
                return; // another thread closed the caller's arena after the timer was read
            }
        }
    }

    // ---- siginfo_t, as C's si_* macros read it -----------------------------------------------

    /** {@code info->si_signo}. */
    public static int si_signo(MemorySegment info) { return siginfo_t.si_signo(info); }
    /** {@code info->si_code}: SI_USER (kill), SI_TKILL (tgkill, raise), SI_TIMER, CLD_EXITED ... */
    public static int si_code(MemorySegment info) { return siginfo_t.si_code(info); }
    /** {@code info->si_errno}. */
    public static int si_errno(MemorySegment info) { return siginfo_t.si_errno(info); }
    /** {@code info->si_pid}: the sender (kill, tgkill, SIGCHLD's child). */
    public static int si_pid(MemorySegment info) { return siginfo_t._sifields._kill.si_pid(siginfo_t._sifields._kill(siginfo_t._sifields(info))); }
    /** {@code info->si_uid}: the sender's real user id. */
    public static int si_uid(MemorySegment info) { return siginfo_t._sifields._kill.si_uid(siginfo_t._sifields._kill(siginfo_t._sifields(info))); }
    /** {@code act->sa_handler}: the handler a struct sigaction holds (SIG_DFL, SIG_IGN or an address), read unaligned. */
    public static MemorySegment sa_handler(MemorySegment act) {
        return act.get(ValueLayout.ADDRESS_UNALIGNED, sigaction.__sigaction_handler$offset());
    }

    /** {@code act->sa_handler = handler}. */
    public static void sa_handler(MemorySegment act, MemorySegment handler) {
        act.set(ValueLayout.ADDRESS_UNALIGNED, sigaction.__sigaction_handler$offset(), handler);
    }

    /** {@code info->si_status}: SIGCHLD's exit status or signal. */
    public static int si_status(MemorySegment info) { return siginfo_t._sifields._sigchld.si_status(siginfo_t._sifields._sigchld(siginfo_t._sifields(info))); }
    /** {@code info->si_int}: the int sigqueue or a timer sent. */
    public static int si_int(MemorySegment info) {
        info = Memory.orNull(info);
        return io.github.panamasockets.bindings.sigval.sival_int(siginfo_t._sifields._rt.si_sigval(siginfo_t._sifields._rt(siginfo_t._sifields(info))));
    }

    // ---- the trace ---------------------------------------------------------------------------

    /** A signal's name for the trace, as strace prints it: SIGUSR1, or the number (0, 32, 64) where no signal has one (not SIGEV_SIGNAL, SIG_ATOMIC_WIDTH). */
    static String signalName(int sig) {
        String n = Names.value("SIG", sig);
        return n.startsWith("SIG_") || n.startsWith("SIGEV_") ? String.valueOf(sig) : n;
    }

    /** A sigset_t as strace prints it: [INT TERM], ~[...] for a fuller one; NULL as NULL. */
    static String sigset(MemorySegment set) {
        if (set.equals(MemorySegment.NULL)) return "NULL";
        if (!Trace.readable(set, sigset_t.sizeof())) return hex(set);
        List<String> in = new ArrayList<>(), out = new ArrayList<>();
        for (int sig = 1; sig < NSIG; sig++) {
            long word = set.get(ValueLayout.JAVA_LONG_UNALIGNED, (sig - 1) / 64 * 8L);
            String n = signalName(sig);
            (((word >>> ((sig - 1) % 64)) & 1) != 0 ? in : out).add(n.startsWith("SIG") ? n.substring(3) : n);
        }
        return in.size() <= out.size() ? "[" + String.join(" ", in) + "]" : "~[" + String.join(" ", out) + "]";
    }

    private static String siginfo(MemorySegment info) {
        if (!Trace.readable(info, siginfo_t.sizeof())) return hex(info);
        try { // unaligned, as action()
            return "{si_signo=" + signalName(info.get(ValueLayout.JAVA_INT_UNALIGNED, siginfo_t.si_signo$offset()))
                    + ", si_code=" + info.get(ValueLayout.JAVA_INT_UNALIGNED, siginfo_t.si_code$offset())
                    + ", si_pid=" + info.get(ValueLayout.JAVA_INT_UNALIGNED, siginfo_t._sifields$offset() + siginfo_t._sifields._kill.si_pid$offset()) + "}";
        } catch (IllegalStateException closedMeanwhile) {
            return hex(info);
        }
    }


    private static String itimervalText(MemorySegment v) {
        if (v.equals(MemorySegment.NULL)) return "NULL";
        if (!Trace.readable(v, itimerval.sizeof())) return hex(v);
        return "{it_interval=" + Trace.timeval(itimerval.it_interval(v)) + ", it_value=" + Trace.timeval(itimerval.it_value(v)) + "}";
    }
}
