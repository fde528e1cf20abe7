package io.github.panamasockets.api;

import io.github.panamasockets.bindings.sockets_h;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.github.panamasockets.bindings.SocketsConstants.FD_CLOEXEC;
import static io.github.panamasockets.bindings.SocketsConstants.F_GETFD;
import static io.github.panamasockets.bindings.SocketsConstants.F_SETFD;

/**
 * How {@link Posix#fork(ForkBlock)} starts its child: the block serialized into the arguments of
 * a new JVM (same java, same options, same class and module path) started with posix_spawn(3),
 * after the JVM's own descriptors (its jars and module image, the JDK's /dev/random) were marked
 * close-on-exec, so that the child starts with exactly the descriptors a C child would have.
 */
final class Fork {
    private Fork() {}

    /** One argument's share of the block's text: below Linux's MAX_ARG_STRLEN (32 pages). */
    static final int PIECE = 100_000;

    // The block travels in a form of its own, not as one ObjectOutputStream of it: Java serialization
    // computes the serialVersionUID of the lambda's Object[] with SHA (loading the security
    // providers) and ObjectInputStream reads the serial-filter settings, and either loads the JDK's
    // libnet, whose start-up probes (socket(AF_INET6), setsockopt(SO_REUSEPORT)...) would stand among
    // the program's own socket calls in strace. So a lambda is sent as its SerializedLambda's fields,
    // its captured ints, longs, Strings... as themselves, and only other captured objects (and a block
    // that is not a lambda) through Java serialization.

    private static final int MAGIC = 0x50534b31; // "PSK1"

    /** The block in the form the child reads back with {@link #deserialize}, or null when it captured something not serializable. */
    static byte[] serialize(ForkBlock block) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            SerializedLambda lambda = serializedLambda(block);
            if (lambda == null) {
                out.writeByte('O');
                writeBlob(out, block);
            } else {
                out.writeByte('L');
                for (String field : List.of(lambda.getCapturingClass(), lambda.getFunctionalInterfaceClass(),
                        lambda.getFunctionalInterfaceMethodName(), lambda.getFunctionalInterfaceMethodSignature(),
                        lambda.getImplClass(), lambda.getImplMethodName(), lambda.getImplMethodSignature(),
                        lambda.getInstantiatedMethodType())) writeString(out, field);
                out.writeInt(lambda.getImplMethodKind());
                out.writeInt(lambda.getCapturedArgCount());
                for (int i = 0; i < lambda.getCapturedArgCount(); i++) writeValue(out, lambda.getCapturedArg(i));
            }
        } catch (IOException e) {
            return null; // NotSerializableException: a captured MemorySegment, Arena, Thread...
        }
        return bytes.toByteArray();
    }

    /** The SerializedLambda that serialization would write for a lambda (its writeReplace), or null for an object of a class of its own. */
    private static SerializedLambda serializedLambda(ForkBlock block) throws IOException {
        final class Caught extends IOException {
            final transient SerializedLambda lambda;
            Caught(SerializedLambda lambda) {
                super("caught");
                this.lambda = lambda;
            }
        }
        if (!block.getClass().isSynthetic() && !block.getClass().isHidden()) return null;
        try { // the lambda's own writeReplace, when its package is open to us (any class on the class path)
            Method writeReplace = block.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            if (writeReplace.invoke(block) instanceof SerializedLambda l) return l;
        } catch (ReflectiveOperationException | InaccessibleObjectException e) {
            // a named module that keeps its package closed: the stream below can still ask
        }
        // The stream calls the lambda's private writeReplace and hands us what it returned before writing a byte of it.
        try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream()) {
            { enableReplaceObject(true); }
            @Override
            protected Object replaceObject(Object obj) throws IOException {
                if (obj instanceof SerializedLambda l) throw new Caught(l);
                return obj;
            }
        }) {
            out.writeObject(block);
        } catch (Caught c) {
            return c.lambda;
        }
        return null;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        return new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
    }

    private static void writeValue(DataOutputStream out, Object v) throws IOException {
        switch (v) {
            case null -> out.writeByte('N');
            case Integer i -> { out.writeByte('I'); out.writeInt(i); }
            case Long l -> { out.writeByte('J'); out.writeLong(l); }
            case Short h -> { out.writeByte('S'); out.writeShort(h); }
            case Byte b -> { out.writeByte('B'); out.writeByte(b); }
            case Character c -> { out.writeByte('C'); out.writeChar(c); }
            case Boolean z -> { out.writeByte('Z'); out.writeBoolean(z); }
            case Double d -> { out.writeByte('D'); out.writeDouble(d); }
            case Float f -> { out.writeByte('F'); out.writeFloat(f); }
            case String t -> { out.writeByte('T'); writeString(out, t); }
            default -> { out.writeByte('O'); writeBlob(out, v); }
        }
    }

    private static Object readValue(DataInputStream in) throws IOException, ClassNotFoundException {
        return switch (in.readByte()) {
            case 'N' -> null;
            case 'I' -> in.readInt();
            case 'J' -> in.readLong();
            case 'S' -> in.readShort();
            case 'B' -> in.readByte();
            case 'C' -> in.readChar();
            case 'Z' -> in.readBoolean();
            case 'D' -> in.readDouble();
            case 'F' -> in.readFloat();
            case 'T' -> readString(in);
            case 'O' -> readBlob(in);
            default -> throw new IOException("not a value written by fork");
        };
    }

    private static void writeBlob(DataOutputStream out, Object v) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(v);
        }
        out.writeInt(bytes.size());
        bytes.writeTo(out);
    }

    private static Object readBlob(DataInputStream in) throws IOException, ClassNotFoundException {
        try (ObjectInputStream o = new ObjectInputStream(new ByteArrayInputStream(in.readNBytes(in.readInt())))) {
            return o.readObject();
        }
    }

    /** In the child: the block {@link #serialize} wrote. */
    static ForkBlock deserialize(byte[] bytes) throws Exception {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        if (in.readInt() != MAGIC) throw new IOException("not a block written by fork");
        if (in.readByte() == 'O') return (ForkBlock) readBlob(in);
        String[] f = new String[8];
        for (int i = 0; i < f.length; i++) f[i] = readString(in);
        int kind = in.readInt();
        Object[] captured = new Object[in.readInt()];
        for (int i = 0; i < captured.length; i++) captured[i] = readValue(in);
        ClassLoader loader = ClassLoader.getSystemClassLoader();
        Class<?> capturing = Class.forName(f[0].replace('/', '.'), false, loader);
        SerializedLambda lambda = new SerializedLambda(capturing, f[1], f[2], f[3], kind, f[4], f[5], f[6], f[7], captured);
        // What deserialization does with it (SerializedLambda.readResolve): the capturing class rebuilds its lambda.
        try {
            Method rebuild = capturing.getDeclaredMethod("$deserializeLambda$", SerializedLambda.class);
            rebuild.setAccessible(true);
            return (ForkBlock) rebuild.invoke(null, lambda);
        } catch (InaccessibleObjectException e) { // a named module that does not open the package: serialization can
            ByteArrayOutputStream round = new ByteArrayOutputStream();
            try (ObjectOutputStream o = new ObjectOutputStream(round)) {
                o.writeObject(lambda);
            }
            try (ObjectInputStream o = new ObjectInputStream(new ByteArrayInputStream(round.toByteArray()))) {
                return (ForkBlock) o.readObject();
            }
        }
    }

    /** The child's command line: this JVM's java and options, the child's main class, the block. */
    static List<String> command(byte[] block) {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        boolean nativeAccess = false;
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!passesToChild(option)) continue;
            argv.add(option);
            nativeAccess |= option.startsWith("--enable-native-access");
        }
        // The logging settings as they are now (a launcher may set them at run time), so that a traced parent has traced children.
        for (String key : System.getProperties().stringPropertyNames())
            if (key.startsWith("org.slf4j.")) argv.add("-D" + key + "=" + System.getProperty(key));
        Module api = ForkChild.class.getModule();
        if (!nativeAccess && api.isNativeAccessEnabled()) // granted by a jar's manifest: say it on the command line
            argv.add("--enable-native-access=" + (api.isNamed() ? api.getName() : "ALL-UNNAMED"));
        String classPath = System.getProperty("java.class.path", "");
        if (!classPath.isEmpty()) {
            argv.add("-cp");
            argv.add(classPath);
        }
        if (api.isNamed()) {
            argv.addAll(List.of("--add-modules", "ALL-MODULE-PATH", "-m", api.getName() + "/" + ForkChild.class.getName()));
        } else {
            argv.add(ForkChild.class.getName());
        }
        String text = Base64.getEncoder().encodeToString(block);
        for (int i = 0; i < text.length(); i += PIECE) argv.add(text.substring(i, Math.min(text.length(), i + PIECE)));
        return argv;
    }

    /** Agents and debuggers would attach twice (a JDWP port is taken), logs and recordings would be written twice. */
    static boolean passesToChild(String option) {
        return !(option.startsWith("-agentlib:") || option.startsWith("-agentpath:") || option.startsWith("-javaagent:")
                || option.startsWith("-Xrunjdwp") || option.equals("-Xdebug") || option.startsWith("-Xlog")
                || option.startsWith("-XX:StartFlightRecording") || option.startsWith("-XX:FlightRecorderOptions"));
    }

    /**
     * Starts {@code argv} with posix_spawn after marking the JVM's own descriptors close-on-exec:
     * the child's pid, or minus the error number posix_spawn returned.
     */
    static int spawn(List<String> argv) {
        keepJvmFilesFromChildren();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pid = arena.allocate(sockets_h.C_INT);
            MemorySegment args = arena.allocate(sockets_h.C_POINTER, argv.size() + 1L);
            for (int i = 0; i < argv.size(); i++) args.setAtIndex(sockets_h.C_POINTER, i, arena.allocateFrom(argv.get(i)));
            args.setAtIndex(sockets_h.C_POINTER, argv.size(), MemorySegment.NULL);
            int err = sockets_h.posix_spawn(pid, arena.allocateFrom(argv.get(0)), MemorySegment.NULL, MemorySegment.NULL, args, Environ.current());
            return err == 0 ? pid.get(sockets_h.C_INT, 0) : -err;
        }
    }

    private static final class Fcntl { static final sockets_h.fcntl H = sockets_h.fcntl.makeInvoker(sockets_h.C_INT); }

    /**
     * Marks close-on-exec each descriptor the JVM itself opened (see {@link #jvmOwn}), so that no
     * child process gets it: the JVM never hands them to a child on purpose (ProcessBuilder closes
     * them in its children), and a forked C program would not have them. The caller's descriptors
     * stay as they are. A descriptor closed and reused while this runs is put back as it was.
     */
    static void keepJvmFilesFromChildren() {
        Set<String> paths = jvmPaths();
        String[] fds = new File("/proc/self/fd").list();
        if (fds == null) return;
        for (String name : fds) {
            int fd = Integer.parseInt(name);
            String target = target(fd);
            if (target == null || !jvmOwn(target, paths)) continue;
            int flags = Fcntl.H.apply(fd, F_GETFD, 0);
            if (flags == -1 || (flags & FD_CLOEXEC) != 0) continue;
            Fcntl.H.apply(fd, F_SETFD, flags | FD_CLOEXEC);
            if (!target.equals(target(fd))) Fcntl.H.apply(fd, F_SETFD, flags); // reused by the caller meanwhile
        }
    }

    /** What descriptor {@code fd} points to ("/usr/lib/jvm/.../lib/modules", "socket:[1234]"), or null once closed. */
    static String target(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd", String.valueOf(fd))).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /**
     * Whether a descriptor's target is one the JVM opens for itself: a file under java.home (the
     * module image), a jar or jmod (what the class loaders keep open, including the jars a
     * manifest's Class-Path names), a file named on the class or module path, or /dev/random and
     * /dev/urandom (kept open by the JDK's SecureRandom).
     */
    static boolean jvmOwn(String target, Set<String> jvmPaths) {
        if (!target.startsWith("/")) return false; // socket:[..], pipe:[..], anon_inode:[eventfd]...
        if (target.endsWith(".jar") || target.endsWith(".jmod")) return true;
        if (target.equals("/dev/random") || target.equals("/dev/urandom")) return true;
        if (target.startsWith(JAVA_HOME + "/")) return true;
        return jvmPaths.contains(target); // exactly: a class path "." must not claim every file under it
    }

    private static final String JAVA_HOME = real(System.getProperty("java.home"));

    /** The files of the class and module path (a directory entry holds nothing open). */
    static Set<String> jvmPaths() {
        Set<String> paths = new HashSet<>();
        for (String key : List.of("java.class.path", "jdk.module.path")) {
            for (String entry : System.getProperty(key, "").split(File.pathSeparator)) if (!entry.isEmpty()) paths.add(real(entry));
        }
        return paths;
    }

    private static String real(String path) {
        try {
            return Path.of(path).toRealPath().toString();
        } catch (IOException | RuntimeException e) {
            return Path.of(path).toAbsolutePath().normalize().toString();
        }
    }
}
